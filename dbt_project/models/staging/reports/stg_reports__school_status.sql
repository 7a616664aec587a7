-- Sheet «Chỉ số trường»: one row per submission.
{{ pivot_report_sheet('school_status') }}
