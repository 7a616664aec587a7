-- Sheet «Học sinh giỏi»: one row per submission and contest level.
{{ pivot_report_sheet('gifted') }}
