-- Sheet «Đánh giá»: one row per submission, grade, dimension and level.
{{ pivot_report_sheet('assessment') }}
