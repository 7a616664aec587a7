-- 8. Chỉ tiêu đang có hiệu lực của huyện Phong Thổ, theo văn bản giao (và văn bản đã thay thế).
select decision_no, issued_on, assignee_level, assignee_code, school_year, indicator_code,
       indicator_name, segment, comparator, target_value, previous_decision_no
from marts.fct_target_history
where in_force and assignee_code = '109'
order by assignee_level, assignee_code, school_year, indicator_code, segment;
