-- Sheet «Đội ngũ»: one row per submission and staff group.
select
    file_hash,
    load_seq,
    record_no,
    source_row,
    "group" as staff_group,
    total,
    female,
    qualified,
    above_standard
from (
    {{ pivot_report_sheet('staff') }}
)
