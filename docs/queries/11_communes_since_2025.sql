-- 11. Huy động trẻ mẫu giáo 3-5 tuổi theo xã từ năm học 2025-2026 (không còn cấp huyện).
select school_year, province_code, province_name, unit_code as commune_code,
       unit_name as commune_name, numerator as enrolled, denominator as population,
       actual_value as enrolment_pct, status
from marts.fct_target_achievement_since_2025
where unit_level = 'commune' and indicator_code = 'mn_enrol_3_5' and period = 'dau_nam'
order by school_year, unit_code;
