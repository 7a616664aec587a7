{{ incremental_by_year() }}
-- Each school in each school year it reports or has targets for, placed in the commune,
-- district and province of the map in force that year: the legacy map (with districts)
-- before the reform, the 2025 map (communes under provinces, no district) from it on.
-- province_code_2025 places every year's school in today's provinces, for trends.
with years as (  -- an incremental build: the school years of the changed partitions
    select * from (
        select distinct school_year from {{ ref('stg_reports__submissions') }}
        where school_year like '____-____'
        union
        select distinct school_year from {{ ref('stg_targets__assignments') }}
        where school_year like '____-____'
    )
    where {{ in_changed_years() }}
),

registry as (
    select
        y.school_year,
        {{ map_of('y.school_year') }} as map,
        s.*
    from years as y
    inner join {{ ref('stg_registry__schools') }} as s
        on
            y.school_year >= s.valid_from
            and (s.valid_to is null or y.school_year <= s.valid_to)
    qualify row_number() over (partition by y.school_year, s.school_code order by s.valid_from desc) = 1
),

communes as (
    select * from {{ ref('int_communes_by_map') }}
),

provinces_crosswalk as (
    select * from {{ ref('stg_admin__province_crosswalk') }}
)

select
    r.school_year,
    r.map,
    r.school_code,
    r.school_name,
    r.school_level,
    r.school_type,
    r.ownership,
    r.area,
    r.commune_code,
    c.commune_name,
    c.district_code,
    c.district_name,
    c.province_code,
    c.province_name,
    case when r.map = '2025' then c.province_code else p.province_code_2025 end
        as province_code_2025
from registry as r
left join communes as c on r.map = c.map and r.commune_code = c.commune_code
left join provinces_crosswalk as p on r.map = 'legacy' and c.province_code = p.legacy_province_code
