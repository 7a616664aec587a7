-- Sheet «Độ tuổi»: one row per submission and single year of age.
select
    file_hash,
    load_seq,
    record_no,
    source_row,
    cast(age as integer) as age,
    pupils,
    female
from (
    {{ pivot_report_sheet('ages') }}
)
