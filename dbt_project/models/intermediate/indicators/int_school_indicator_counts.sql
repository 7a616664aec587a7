-- Numerator and denominator of every school-based indicator (catalogue base = 'school'),
-- per school, school year and period, from the report in force. Rates are divided only in
-- the marts, after summing counts up the hierarchy.
with submissions as (
    select * from {{ ref('int_submissions_in_force') }}
),

indicators as (
    select
        *,
        string_split(coalesce(grades, ''), '|') as grade_list
    from {{ ref('indicators') }}
    where computed and base = 'school'
),

pupils as materialized (  -- used by six families: pivot the cells once
    select
        s.school_code,
        s.school_year,
        s.period,
        p.*
    from {{ ref('stg_reports__pupils') }} as p
    inner join submissions as s using (file_hash)
),

attendance as (  -- mn_attendance, mn_attendance_5, th_attendance, thcs_attendance
    select
        p.school_code,
        p.school_year,
        p.period,
        i.indicator_code,
        sum(p.planned_days - p.absent_days) as numerator,
        sum(p.planned_days) as denominator
    from pupils as p
    inner join indicators as i on i.family = 'attendance' and list_contains(i.grade_list, p.grade)
    where p.planned_days is not null
    group by all
),

dropout as (  -- th_dropout, thcs_dropout: dropouts since the start of the year / enrolled at start
    select
        p.school_code,
        p.school_year,
        p.period,
        i.indicator_code,
        sum(p.dropouts) as numerator,
        sum(p.enrolled_start) as denominator
    from pupils as p
    inner join indicators as i on i.family = 'dropout' and list_contains(i.grade_list, p.grade)
    where p.enrolled_start is not null
    group by all
),

promotion as (  -- th_promotion, thcs_promotion_after_resit: promoted (incl. after resit) / enrolled
    select
        p.school_code,
        p.school_year,
        p.period,
        i.indicator_code,
        sum(p.promoted) as numerator,
        sum(p.enrolled) as denominator
    from pupils as p
    inner join indicators as i on i.family = 'promotion' and list_contains(i.grade_list, p.grade)
    where p.period = 'cuoi_nam' and p.promoted is not null
    group by all
),

completion as (  -- th_completion (grade 5), thcs_graduation (grade 9)
    select
        p.school_code,
        p.school_year,
        p.period,
        i.indicator_code,
        sum(p.completers) as numerator,
        sum(p.enrolled) as denominator
    from pupils as p
    inner join indicators as i on i.family = 'completion' and list_contains(i.grade_list, p.grade)
    where p.period = 'cuoi_nam' and p.completers is not null
    group by all
),

assessment as (  -- both lower-secondary scales count into the same indicators (seed assessment_levels)
    select
        s.school_code,
        s.school_year,
        s.period,
        l.indicator_code,
        sum(case when l.counted then a.pupils else 0 end) as numerator,
        sum(a.pupils) as denominator
    from {{ ref('stg_reports__assessment') }} as a
    inner join submissions as s using (file_hash)
    inner join {{ ref('assessment_levels') }} as l on a.dimension = l.dimension and a.level = l.level
    inner join indicators as i
        on
            l.indicator_code = i.indicator_code
            and list_contains(i.grade_list, a.grade)
    group by all
),

nutrition as materialized (
    select
        s.school_code,
        s.school_year,
        s.period,
        n.*
    from {{ ref('stg_reports__nutrition') }} as n
    inner join submissions as s using (file_hash)
),

preschool_enrolled as (
    select
        school_code,
        school_year,
        period,
        sum(enrolled) as enrolled
    from pupils
    where grade in ('nha_tre', 'mau_giao_3', 'mau_giao_4', 'mau_giao_5')
    group by all
),

nutrition_rates as (  -- malnutrition among children weighed/measured; meals and two sessions among enrolled
    select
        school_code,
        school_year,
        period,
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
        'mn_two_sessions',
        sum(n.two_sessions),
        any_value(e.enrolled)
    from nutrition as n inner join preschool_enrolled as e using (school_code, school_year, period)
    group by all
),

gifted as (  -- award rates per contest level; KHKT projects are a count
    select
        s.school_code,
        s.school_year,
        s.period,
        i.indicator_code,
        sum(case when i.unit = 'count' then g.science_projects else g.awarded end) as numerator,
        sum(case when i.unit = 'count' then null else g.candidates end) as denominator
    from {{ ref('stg_reports__gifted') }} as g
    inner join submissions as s using (file_hash)
    inner join indicators as i
        on
            (i.family = 'gifted' and list_contains(i.grade_list, g.contest_level))
            or i.family = 'gifted_projects'
    group by all
),

school_status as (  -- each school counts 1 in the denominator; 1 in the numerator when it qualifies
    select
        s.school_code,
        s.school_year,
        s.period,
        i.indicator_code,
        case i.indicator_code
            when 'national_standard_schools' then (st.national_standard in ('muc_1', 'muc_2'))::int
            when 'stem_schools' then (st.stem = 'co')::int
            when 'inclusive_ready_schools' then (st.inclusive_ready = 'co')::int
            when 'high_quality_schools' then (st.high_quality = 'co')::int
        end as numerator,
        case when i.unit = 'count' then null else 1 end as denominator
    from {{ ref('stg_reports__school_status') }} as st
    inner join submissions as s using (file_hash)
    inner join indicators as i on i.family in ('school_status', 'school_status_count')
),

staff as (  -- teachers_qualified
    select
        s.school_code,
        s.school_year,
        s.period,
        'teachers_qualified' as indicator_code,
        sum(st.qualified) as numerator,
        sum(st.total) as denominator
    from {{ ref('stg_reports__staff') }} as st
    inner join submissions as s using (file_hash)
    where st.staff_group = 'giao_vien'
    group by all
),

classes as (
    select
        school_code,
        school_year,
        period,
        sum(classes) as classes
    from pupils
    group by all
),

facilities as (  -- solid_classrooms, classroom_per_class
    select
        s.school_code,
        s.school_year,
        s.period,
        'solid_classrooms' as indicator_code,
        f.solid as numerator,
        f.classrooms as denominator
    from {{ ref('stg_reports__facilities') }} as f
    inner join submissions as s using (file_hash)
    union all
    select
        s.school_code,
        s.school_year,
        s.period,
        'classroom_per_class',
        f.classrooms,
        c.classes
    from {{ ref('stg_reports__facilities') }} as f
    inner join submissions as s using (file_hash)
    inner join classes as c using (school_code, school_year, period)
),

spend as (  -- teaching_spend_share
    select
        s.school_code,
        s.school_year,
        s.period,
        'teaching_spend_share' as indicator_code,
        st.teaching_spend as numerator,
        st.recurrent_spend as denominator
    from {{ ref('stg_reports__school_status') }} as st
    inner join submissions as s using (file_hash)
    where st.recurrent_spend is not null
),

all_counts as (
    select * from attendance
    union all
    select * from dropout
    union all
    select * from promotion
    union all
    select * from completion
    union all
    select * from assessment
    union all
    select * from nutrition_rates
    union all
    select * from gifted
    union all
    select * from school_status
    union all
    select * from staff
    union all
    select * from facilities
    union all
    select * from spend
)

select
    c.school_code,
    c.school_year,
    c.period,
    c.indicator_code,
    cast(c.numerator as double) as numerator,
    cast(c.denominator as double) as denominator
from all_counts as c
inner join indicators as i using (indicator_code)
where list_contains(string_split(i.periods, '|'), c.period)
