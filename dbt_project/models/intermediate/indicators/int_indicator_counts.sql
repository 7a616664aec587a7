{{ incremental_by_period(by_province=true) }}
-- Every indicator's numerator and denominator at every level — school, commune, district,
-- province — per school year, period and segment, summed from counts (never averaged).
--
-- boundaries = 'reported': each year on the map in force then (districts exist only for
--   the legacy years; from the 2025 reform, communes sit directly under provinces);
-- boundaries = '2025': provinces as they are since 1 July 2025, for every year — a legacy
--   province's counts go to the 2025 province it became part of.
-- Segment 'all' pools every unit; 'dbkk' and 'thuan_loi' pool the schools of that area
-- (school-based indicators only). province_code_2025 is the 2025 province the unit lies in
-- (the partition key of the incremental build; null for a unit placed in none).
with schools as (
    select * from {{ ref('int_schools_by_year') }}
),

school_counts as materialized (
    select
        c.* exclude (province_code_2025),  -- the same as the school's below
        s.commune_code,
        s.district_code,
        s.province_code,
        s.province_code_2025,
        s.area
    from {{ ref('int_school_indicator_counts') }} as c
    inner join schools as s using (school_code, school_year)
    -- the filter inside each materialized CTE: DuckDB does not push the final one into them
    where {{ in_changed_partitions('c.school_year', 'c.period', 's.province_code_2025') }}
),

commune_counts as materialized (
    select
        c.* exclude (map),
        u.district_code,
        u.province_code
    from (
        select
            *,
            {{ map_of('school_year') }} as map
        from {{ ref('int_commune_indicator_counts') }}
    ) as c
    left join {{ ref('int_communes_by_map') }} as u
        on c.map = u.map and c.commune_code = u.commune_code
    where {{ in_changed_partitions('c.school_year', 'c.period', 'c.province_code_2025') }}
),

school_segments as materialized (
    select
        school_counts.*,
        segment
    from school_counts
    cross join unnest(['all', area]) as seg (segment)
    where segment is not null  -- a school with no area in the registry counts in 'all' only
),

{% set levels = [('commune', 'commune_code', 'reported'), ('district', 'district_code', 'reported'),
                 ('province', 'province_code', 'reported'), ('province', 'province_code_2025', '2025')] %}
rolled as (
    select
        'reported' as boundaries,
        'school' as unit_level,
        school_code as unit_code,
        school_year,
        period,
        indicator_code,
        'all' as segment,
        numerator,
        denominator,
        1 as reporting_schools,
        province_code_2025
    from school_counts
    {% for level, column, boundaries in levels %}
        union all
        select
            '{{ boundaries }}',
            '{{ level }}',
            {{ column }} as unit_code,
            school_year,
            period,
            indicator_code,
            segment,
            sum(numerator),
            sum(denominator),
            -- a school is one row of a group: school_counts is unique by school, year,
            -- period and indicator (the tests of its two inputs), and its segments are
            -- 'all' and its area, never 'all' (accepted values) — so count(*), without
            -- the hash of every school a distinct count needs (a national full build:
            -- the query 2.4 -> 0.7 s); tests/test_pooled_rates.py checks the counts
            count(*),
            province_code_2025
        from school_segments
        where {{ column }} is not null
        group by all
    {% endfor %}
    {% for level, column, boundaries in levels %}
        union all
        select
            '{{ boundaries }}',
            '{{ level }}',
            {{ column }} as unit_code,
            school_year,
            period,
            indicator_code,
            'all',
            sum(numerator),
            sum(denominator),
            null,
            province_code_2025
        from commune_counts
        where {{ column }} is not null
        group by all
    {% endfor %}
)

select * from rolled
where {{ in_changed_partitions(province='province_code_2025') }}
