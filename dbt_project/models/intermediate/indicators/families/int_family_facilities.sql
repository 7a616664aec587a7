-- Classrooms: solid classrooms / classrooms, and classrooms per class (classes from «Học sinh»).
{% set indicator_codes = ['solid_classrooms', 'classroom_per_class'] %}
with facilities as (
    select
        s.school_code,
        s.school_year,
        s.period,
        s.province_code_2025,
        f.*
    from {{ ref('stg_reports__facilities') }} as f
    inner join {{ ref('int_submissions_in_force') }} as s using (file_hash)
),

classes as (
    select
        school_code,
        school_year,
        period,
        sum(classes) as classes
    from {{ ref('int_pupils_in_force') }}
    group by all
)

select
    school_code,
    school_year,
    period,
    province_code_2025,
    'solid_classrooms' as indicator_code,
    solid as numerator,
    classrooms as denominator
from facilities
union all
select
    f.school_code,
    f.school_year,
    f.period,
    f.province_code_2025,
    'classroom_per_class',
    f.classrooms,
    c.classes
from facilities as f
inner join classes as c using (school_code, school_year, period)
