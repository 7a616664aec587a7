-- 4. Tỷ lệ bỏ học THCS từng trường của huyện, cao nhất trước (xem trường nào kéo huyện xuống).
select unit_code as school_code, unit_name as school_name, commune_name, area,
       numerator as dropouts, denominator as enrolled_at_start, actual_value as dropout_rate_pct,
       status
from marts.fct_target_achievement_school
where district_code = '109' and school_year = '2023-2024' and period = 'cuoi_nam'
  and indicator_code = 'thcs_dropout'
order by actual_value desc, unit_code;
