-- 13. Các huyện có nguy cơ không đạt chỉ tiêu khi xem số liệu giữa năm, và cần thay đổi bao nhiêu người.
select
    school_year,
    unit_code,
    unit_name,
    indicator_name,
    segment,
    comparator,
    target_value,
    actual_value,
    projected_value,
    projection_method,
    gap_count
from marts.fct_target_achievement_district
where period = 'giua_nam' and status = 'at_risk'
order by school_year desc, unit_code, indicator_code, segment;
