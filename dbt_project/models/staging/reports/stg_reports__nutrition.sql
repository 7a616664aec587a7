-- Sheet «Dinh dưỡng» (preschools): one row per submission and group (nhà trẻ / mẫu giáo).
select
    file_hash,
    load_seq,
    record_no,
    source_row,
    "group" as child_group,
    measured,
    underweight,
    stunted,
    boarding_meals,
    two_sessions
from (
    {{ pivot_report_sheet('nutrition') }}
)
