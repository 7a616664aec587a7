-- Attendance (chuyên cần): days present / days planned, over the grades each indicator counts.
{% set indicator_codes = ['mn_attendance', 'mn_attendance_5', 'th_attendance', 'thcs_attendance'] %}
with indicators as ({{ family_indicators(indicator_codes) }})

select
    p.school_code,
    p.school_year,
    p.period,
    p.province_code_2025,
    i.indicator_code,
    sum(p.planned_days - p.absent_days) as numerator,
    sum(p.planned_days) as denominator
from {{ ref('int_pupils_in_force') }} as p
inner join indicators as i on list_contains(i.grade_list, p.grade)
where p.planned_days is not null
group by all
