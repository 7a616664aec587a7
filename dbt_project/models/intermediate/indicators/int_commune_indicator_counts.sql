{{ incremental_by_period(by_province=true) }}
-- Numerator and denominator of the commune-based indicators (catalogue base = 'commune'),
-- per commune, school year and period:
--   enrolment (huy động): pupils of the ages in the commune's schools / census population
--     of those ages — preschool ages from preschools, school ages from general schools;
--   th_enrol_grade1: 6-year-olds entering grade 1 / census population aged 6;
--   thcs_transition_g6: grade-6 entrants / last year's primary completers of the commune;
--   universalisation_communes: 1 when the commune meets PCGD (mầm non 5 tuổi, tiểu học,
--     THCS) and XMC, out of 1.
-- province_code_2025: the 2025 province of the commune's schools (the partition key). A
-- commune code keeps its 2025 province on both maps
-- (tests/intermediate/assert_commune_codes_keep_their_2025_province.sql), so last year's
-- completers of a commune lie in the same partition as its entrants.
with submissions as (  -- the changed partitions, and the year-end before them (grade-5 completers)
    select * from {{ ref('int_submissions_in_force') }}
    where
        {{ in_changed_partitions(province='province_code_2025') }}
        or (
            period = 'cuoi_nam' and {{ in_years_before_changed_partitions(1) }}
            and {{ in_changed_provinces() }}
        )
),

schools as (
    select * from {{ ref('int_schools_by_year') }}
),

indicators as (
    select
        *,
        string_split(coalesce(grades, ''), '|') as grade_list
    from {{ ref('indicators') }}
    where computed and base = 'commune'
),

reported_periods as (  -- commune, year, period with at least one report in force
    select distinct
        sc.commune_code,
        s.school_year,
        s.period,
        sc.province_code_2025
    from submissions as s
    inner join schools as sc using (school_code, school_year)
),

ages as materialized (
    select
        sc.commune_code,
        s.school_year,
        s.period,
        a.age,
        a.pupils,
        sc.school_level = 'mam_non' as preschool
    from {{ ref('stg_reports__ages') }} as a
    inner join submissions as s using (file_hash)
    inner join schools as sc using (school_code, school_year)
),

population as (
    select * from {{ ref('stg_census__population') }}
),

enrolment as (
    select
        r.commune_code,
        r.school_year,
        r.period,
        r.province_code_2025,
        i.indicator_code,
        coalesce((
            select sum(a.pupils) from ages as a
            where
                a.commune_code = r.commune_code and a.school_year = r.school_year
                and a.period = r.period
                and list_contains(i.grade_list, cast(a.age as varchar))
                and a.preschool = (i.level = 'mn')
        ), 0) as numerator,
        (
            select sum(p.population) from population as p
            where
                p.commune_code = r.commune_code and p.school_year = r.school_year
                and list_contains(i.grade_list, cast(p.age as varchar))
        ) as denominator
    from reported_periods as r
    cross join indicators as i
    where i.family = 'enrolment'
),

pupils as materialized (
    select
        sc.commune_code,
        s.school_year,
        s.period,
        p.grade,
        p.new_entrants,
        p.new_entrants_of_age,
        p.completers
    from {{ ref('stg_reports__pupils') }} as p
    inner join submissions as s using (file_hash)
    inner join schools as sc using (school_code, school_year)
),

grade1 as (
    select
        r.commune_code,
        r.school_year,
        r.period,
        r.province_code_2025,
        'th_enrol_grade1' as indicator_code,
        coalesce((
            select sum(p.new_entrants_of_age) from pupils as p
            where
                p.commune_code = r.commune_code and p.school_year = r.school_year
                and p.period = r.period and p.grade = 'lop_1'
        ), 0) as numerator,
        (
            select sum(c.population) from population as c
            where
                c.commune_code = r.commune_code and c.school_year = r.school_year
                and c.age = 6
        ) as denominator
    from reported_periods as r
),

transition as (
    select
        r.commune_code,
        r.school_year,
        r.period,
        r.province_code_2025,
        'thcs_transition_g6' as indicator_code,
        (
            select sum(p.new_entrants) from pupils as p
            where
                p.commune_code = r.commune_code and p.school_year = r.school_year
                and p.period = r.period and p.grade = 'lop_6'
        ) as numerator,
        (
            select sum(p.completers) from pupils as p
            where
                p.commune_code = r.commune_code and p.period = 'cuoi_nam'
                and p.grade = 'lop_5'
                and p.school_year = cast(cast(left(r.school_year, 4) as integer) - 1 as varchar)
                || '-' || left(r.school_year, 4)
        ) as denominator
    from reported_periods as r
),

universalisation as (
    select
        r.commune_code,
        r.school_year,
        r.period,
        r.province_code_2025,
        'universalisation_communes' as indicator_code,
        (
            st.pcgd_preschool_5 = 'dat'
            and st.pcgd_primary in ('muc_1', 'muc_2', 'muc_3')
            and st.pcgd_lower_secondary in ('muc_1', 'muc_2', 'muc_3')
            and st.literacy in ('muc_1', 'muc_2')
        )::int as numerator,
        1 as denominator
    from reported_periods as r
    inner join {{ ref('stg_census__commune_status') }} as st using (commune_code, school_year)
)

select
    c.commune_code,
    c.school_year,
    c.period,
    c.indicator_code,
    cast(c.numerator as double) as numerator,
    cast(c.denominator as double) as denominator,
    c.province_code_2025
from (
    select * from enrolment
    union all
    select * from grade1
    union all
    select * from transition
    union all
    select * from universalisation
) as c
inner join indicators as i using (indicator_code)
where
    list_contains(string_split(i.periods, '|'), c.period)
    and {{ in_changed_partitions('c.school_year', 'c.period', 'c.province_code_2025') }}
