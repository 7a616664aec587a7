-- 12. Mười huyện còn xa chỉ tiêu huy động trẻ 6-10 tuổi nhất, tính bằng số trẻ (năm học gần nhất có kết luận cuối năm).
select
    school_year,
    unit_code,
    unit_name,
    province_name,
    numerator as children_enrolled,
    denominator as children_aged_6_10,
    target_value,
    gap_count as children_short
from marts.fct_target_achievement_district
where indicator_code = 'th_enrol_6_10' and segment = 'all' and period = 'cuoi_nam'
  and gap_count > 0
  and school_year = (
      select max(school_year) from marts.fct_target_achievement_district
      where indicator_code = 'th_enrol_6_10' and period = 'cuoi_nam' and status in ('met', 'not_met')
  )
order by gap_count desc, unit_code
limit 10;
