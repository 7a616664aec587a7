-- 9. So sánh vùng đặc biệt khó khăn với vùng thuận lợi trong huyện (chỉ tiêu của trường).
select indicator_code, indicator_name, segment, numerator, denominator, actual_value,
       reporting_schools
from marts.fct_target_achievement_district
where unit_code = '109' and school_year = '2023-2024' and period = 'cuoi_nam'
  and segment in ('dbkk', 'thuan_loi') and indicator_code in
      ('thcs_dropout', 'th_dropout', 'thcs_attendance', 'thcs_academic_good_plus')
order by indicator_code, segment;
