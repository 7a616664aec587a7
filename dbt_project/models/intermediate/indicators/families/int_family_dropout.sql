-- Dropout (bỏ học): pupils who left since the start of the year / enrolled at the start.
-- At mid-year the count covers half a year: the catalogue's mid_year_projection (2) turns it
-- into a projected year for the on_track / at_risk reading (int_target_achievement).
{% set indicator_codes = ['th_dropout', 'thcs_dropout'] %}
with indicators as ({{ family_indicators(indicator_codes) }})

select
    p.school_code,
    p.school_year,
    p.period,
    p.province_code_2025,
    i.indicator_code,
    sum(p.dropouts) as numerator,
    sum(p.enrolled_start) as denominator
from {{ ref('int_pupils_in_force') }} as p
inner join indicators as i on list_contains(i.grade_list, p.grade)
where p.enrolled_start is not null
group by all
