-- 5. Xếp hạng các huyện của tỉnh Lai Châu theo tỷ lệ chỉ tiêu đạt (mọi cấp học).
select province_code, unit_code as district_code, unit_name as district_name, targets, met,
       not_met, no_data, share_met, rank_in_province
from marts.fct_scorecard_district
where province_code = '12' and school_year = '2023-2024' and period = 'cuoi_nam'
  and scorecard_level = 'all'
order by province_code, rank_in_province, unit_code;
