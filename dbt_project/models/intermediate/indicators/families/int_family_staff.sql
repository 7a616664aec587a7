-- Teachers meeting the qualification standard / teachers.
{% set indicator_codes = ['teachers_qualified'] %}
select
    s.school_code,
    s.school_year,
    s.period,
    s.province_code_2025,
    'teachers_qualified' as indicator_code,
    sum(st.qualified) as numerator,
    sum(st.total) as denominator
from {{ ref('stg_reports__staff') }} as st
inner join {{ ref('int_submissions_in_force') }} as s using (file_hash)
where st.staff_group = 'giao_vien'
group by all
