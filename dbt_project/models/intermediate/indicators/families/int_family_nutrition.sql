-- Preschool nutrition and care: underweight and stunting among the children weighed and
-- measured, per group (nhà trẻ / mẫu giáo); boarding meals and two sessions a day among the
-- children enrolled in the preschool grades.
{% set indicator_codes = [
    'mn_underweight_nt', 'mn_underweight_mg', 'mn_stunting_nt', 'mn_stunting_mg',
    'mn_boarding_meals', 'mn_two_sessions',
] %}
with nutrition as materialized (
    select
        s.school_code,
        s.school_year,
        s.period,
        s.province_code_2025,
        n.*
    from {{ ref('stg_reports__nutrition') }} as n
    inner join {{ ref('int_submissions_in_force') }} as s using (file_hash)
),

preschool_enrolled as (
    select
        p.school_code,
        p.school_year,
        p.period,
        sum(p.enrolled) as enrolled
    from {{ ref('int_pupils_in_force') }} as p
    inner join {{ ref('grades') }} as g on p.grade = g.grade and g.school_level = 'mn'
    group by all
)

select
    school_code,
    school_year,
    period,
    province_code_2025,
    'mn_underweight_nt' as indicator_code,
    sum(underweight) as numerator,
    sum(measured) as denominator
from nutrition
where child_group = 'nha_tre'
group by all
union all
select
    school_code,
    school_year,
    period,
    province_code_2025,
    'mn_underweight_mg',
    sum(underweight),
    sum(measured)
from nutrition
where child_group = 'mau_giao'
group by all
union all
select
    school_code,
    school_year,
    period,
    province_code_2025,
    'mn_stunting_nt',
    sum(stunted),
    sum(measured)
from nutrition
where child_group = 'nha_tre'
group by all
union all
select
    school_code,
    school_year,
    period,
    province_code_2025,
    'mn_stunting_mg',
    sum(stunted),
    sum(measured)
from nutrition
where child_group = 'mau_giao'
group by all
union all
select
    n.school_code,
    n.school_year,
    n.period,
    n.province_code_2025,
    'mn_boarding_meals',
    sum(n.boarding_meals),
    any_value(e.enrolled)
from nutrition as n inner join preschool_enrolled as e using (school_code, school_year, period)
group by all
union all
select
    n.school_code,
    n.school_year,
    n.period,
    n.province_code_2025,
    'mn_two_sessions',
    sum(n.two_sessions),
    any_value(e.enrolled)
from nutrition as n inner join preschool_enrolled as e using (school_code, school_year, period)
group by all
