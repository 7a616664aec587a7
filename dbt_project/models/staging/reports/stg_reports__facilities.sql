-- Sheet «Cơ sở vật chất»: one row per submission.
{{ pivot_report_sheet('facilities') }}
