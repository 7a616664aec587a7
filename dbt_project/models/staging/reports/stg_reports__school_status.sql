-- Sheet «Chỉ số trường»: one row per submission.
{{ pivot_report_sheet('school_status',
    ['national_standard', 'accreditation', 'stem', 'inclusive_ready', 'high_quality'],
    ['recurrent_spend', 'teaching_spend']) }}
