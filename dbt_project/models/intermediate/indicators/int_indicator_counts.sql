-- Every indicator's numerator and denominator at every level: school, commune, district,
-- province, per school year, period and segment. Counts are summed up the hierarchy —
-- never rates averaged. Segment 'all' pools every unit; 'dbkk' and 'thuan_loi' pool the
-- schools of that area (school-based indicators only).
with schools as (
    select * from {{ ref('int_schools_by_year') }}
),

school_counts as (
    select c.*, s.commune_code, s.district_code, s.province_code, s.area
    from {{ ref('int_school_indicator_counts') }} as c
    join schools as s using (school_code, school_year)
),

commune_counts as (
    select c.*, u.district_code, u.province_code
    from {{ ref('int_commune_indicator_counts') }} as c
    join {{ ref('stg_admin__communes_legacy') }} as u using (commune_code)
),

school_segments as (
    select school_counts.*, segment
    from school_counts
    cross join unnest(['all', area]) as seg(segment)
    where segment is not null  -- a school with no area in the registry counts in 'all' only
),

rolled as (
    select 'school' as unit_level, school_code as unit_code, school_year, period, indicator_code,
           'all' as segment, numerator, denominator, 1 as reporting_schools
    from school_counts

    union all
    {% for level in ['commune', 'district', 'province'] %}
    select '{{ level }}', {{ level }}_code, school_year, period, indicator_code, segment,
           sum(numerator), sum(denominator), count(distinct school_code)
    from school_segments
    group by all
    union all
    {% endfor %}

    select 'commune', commune_code, school_year, period, indicator_code, 'all',
           numerator, denominator, null
    from commune_counts

    {% for level in ['district', 'province'] %}
    union all
    select '{{ level }}', {{ level }}_code, school_year, period, indicator_code, 'all',
           sum(numerator), sum(denominator), null
    from commune_counts
    group by all
    {% endfor %}
)

select * from rolled
