-- 6. Tình hình nộp báo cáo của các huyện tỉnh Lai Châu theo kỳ: chưa nộp, nộp muộn, bị từ chối.
select district_code, district_name, school_year, period, schools_expected, schools_accepted,
       schools_rejected, schools_late, schools_missing, completeness_rate, missing_schools
from marts.fct_completeness_district
where province_code = '12' and district_code is not null
order by district_code, school_year, deadline;
