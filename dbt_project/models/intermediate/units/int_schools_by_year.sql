-- Each school in each school year it reports or has targets for, placed in the commune,
-- district and province of the map in force that year: the legacy map (with districts)
-- before the reform, the 2025 map (communes under provinces, no district) from it on.
-- province_code_2025 places every year's school in today's provinces, for trends.
with years as (
    select distinct school_year from {{ ref('stg_reports__submissions') }}
    where school_year like '____-____'
    union
    select distinct school_year from {{ ref('stg_targets__assignments') }}
    where school_year like '____-____'
),

registry as (
    select y.school_year, s.*
    from years as y
    join {{ ref('stg_registry__schools') }} as s
        on s.valid_from <= y.school_year
       and (s.valid_to is null or s.valid_to >= y.school_year)
    qualify row_number() over (partition by y.school_year, s.school_code order by s.valid_from desc) = 1
),

legacy as (
    select * from {{ ref('stg_admin__communes_legacy') }}
),

current_ as (
    select * from {{ ref('stg_admin__communes_2025') }}
),

provinces_crosswalk as (
    select * from {{ ref('stg_admin__province_crosswalk') }}
)

select
    r.school_year,
    {{ map_of('r.school_year') }} as map,
    r.school_code,
    r.school_name,
    r.school_level,
    r.school_type,
    r.ownership,
    r.area,
    r.commune_code,
    coalesce(l.commune_name, c.commune_name) as commune_name,
    l.district_code,
    l.district_name,
    coalesce(l.province_code, c.province_code) as province_code,
    coalesce(l.province_name, c.province_name) as province_name,
    coalesce(p.province_code_2025, c.province_code) as province_code_2025
from registry as r
left join legacy as l
    on {{ map_of('r.school_year') }} = 'legacy' and l.commune_code = r.commune_code
left join current_ as c
    on {{ map_of('r.school_year') }} = '2025' and c.commune_code = r.commune_code
left join provinces_crosswalk as p on p.legacy_province_code = l.province_code
