-- 7. Xếp hạng các trường THCS của huyện Phong Thổ theo tỷ lệ chỉ tiêu đạt.
select district_code, unit_code as school_code, unit_name as school_name, targets, met,
       not_met, share_met, rank_in_district
from marts.fct_scorecard_school
where district_code = '109' and school_year = '2023-2024' and period = 'cuoi_nam'
  and scorecard_level = 'thcs'
order by district_code, rank_in_district, unit_code;
