-- Promotion (lên lớp): promoted, after the resit where the indicator says so / enrolled.
-- End of year only.
{% set indicator_codes = ['th_promotion', 'thcs_promotion_after_resit'] %}
with indicators as ({{ family_indicators(indicator_codes) }})

select
    p.school_code,
    p.school_year,
    p.period,
    p.province_code_2025,
    i.indicator_code,
    sum(p.promoted) as numerator,
    sum(p.enrolled) as denominator
from {{ ref('int_pupils_in_force') }} as p
inner join indicators as i on list_contains(i.grade_list, p.grade)
where p.period = 'cuoi_nam' and p.promoted is not null
group by all
