-- 8. Chỉ tiêu đang có hiệu lực, theo văn bản giao (và văn bản đã thay thế nếu có).
select decision_no, issued_on, assignee_level, assignee_code, school_year, indicator_code,
       indicator_name, segment, comparator, target_value, previous_decision_no
from marts.fct_target_history
where in_force
order by assignee_level, assignee_code, school_year, indicator_code, segment;
