-- 10. Báo cáo bị từ chối của huyện Phong Thổ và lý do (để đôn đốc trường gửi lại).
select s.school_code, s.school_name, s.school_year, s.period, f.sheet, f.sheet_row,
       f.sheet_column, f.message, f.hint
from marts.fct_submissions as s
join marts.fct_submission_findings as f on f.file_hash = s.file_hash
where s.district_code = '109' and s.status = 'rejected' and f.severity = 'error'
order by s.school_year, s.period, s.school_code, f.sheet, f.sheet_row, f.message;
