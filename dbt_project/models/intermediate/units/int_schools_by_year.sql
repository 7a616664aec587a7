-- Each school in each school year it reports or has targets for, placed in the commune,
-- district and province in force then (registry validity, legacy unit list).
with years as (
    select distinct school_year from {{ ref('stg_reports__submissions') }}
    where school_year is not null
    union
    select distinct school_year from {{ ref('stg_targets__assignments') }}
    where school_year like '____-____'
)

select
    y.school_year,
    s.school_code,
    s.school_name,
    s.school_level,
    s.school_type,
    s.ownership,
    s.area,
    s.commune_code,
    u.commune_name,
    u.district_code,
    u.district_name,
    u.province_code,
    u.province_name
from years as y
join {{ ref('stg_registry__schools') }} as s
    on s.valid_from <= y.school_year
   and (s.valid_to is null or s.valid_to >= y.school_year)
left join {{ ref('stg_admin__communes_legacy') }} as u on u.commune_code = s.commune_code
qualify row_number() over (partition by y.school_year, s.school_code order by s.valid_from desc) = 1
