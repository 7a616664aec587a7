-- 3. Những chỉ tiêu chưa đạt của huyện, xa mục tiêu nhất trước.
select indicator_name, segment, target_value, actual_value, gap
from marts.fct_target_achievement_district
where unit_code = '109' and school_year = '2023-2024' and period = 'cuoi_nam'
  and status = 'not_met'
order by gap, indicator_code, segment;
