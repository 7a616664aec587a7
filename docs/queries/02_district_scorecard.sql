-- 2. Bảng theo dõi chỉ tiêu của huyện Phong Thổ, cuối năm học 2023-2024.
select indicator_name, segment, comparator, target_value, actual_value, gap, status_label,
       decision_no
from marts.fct_target_achievement_district
where unit_code = '109' and school_year = '2023-2024' and period = 'cuoi_nam'
  and status <> 'no_target'
order by indicator_level, indicator_code, segment;
