-- Sheet «Học sinh»: one row per submission and grade.
{{ pivot_report_sheet('pupils') }}
