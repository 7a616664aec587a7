-- Đơn vị hành chính theo thời gian: every unit of both maps with its validity in school
-- years, its parent, and its successor after the 1 July 2025 reform.
--   legacy map: province -> district -> commune, valid until the school year before
--               reform_school_year; successor = the 2025 province / default 2025 commune;
--   2025 map:   province -> commune, valid from reform_school_year.
-- unit_key = '<map>:<level>:<code>' (codes are reused across the maps: 68 is the legacy
-- and the 2025 tỉnh Lâm Đồng, which are not the same territory).
{% set reform = var('reform_school_year') %}
{% set last_legacy = (reform[:4] | int - 1) ~ '-' ~ reform[:4] %}
with legacy as (
    select * from {{ ref('stg_admin__communes_legacy') }}
),

legacy_districts as (  -- island districts without communes (Hoàng Sa, Bạch Long Vĩ, …) too
    select distinct
        province_code,
        district_code,
        district_name,
        district_lat,
        district_lon
    from {{ source('raw', 'admin_units_legacy') }}
),

current_ as (
    select * from {{ ref('stg_admin__communes_2025') }}
),

crosswalk as (
    select * from {{ ref('stg_admin__crosswalk_2025') }}
    where is_default
),

provinces_crosswalk as (
    select * from {{ ref('stg_admin__province_crosswalk') }}
),

units as (
    select distinct
        'legacy' as map,
        'province' as unit_level,
        l.province_code as unit_code,
        l.province_name as unit_name,
        null as parent_level,
        null as parent_code,
        l.province_code,
        'province' as successor_level,
        p.province_code_2025 as successor_code,
        l.province_lat as lat,
        l.province_lon as lon
    from legacy as l
    left join provinces_crosswalk as p on l.province_code = p.legacy_province_code

    union all
    select distinct
        'legacy',
        'district',
        l.district_code,
        l.district_name,
        'province',
        l.province_code as parent_code,
        l.province_code,
        'province',
        p.province_code_2025,
        l.district_lat,
        l.district_lon
    from legacy_districts as l
    left join provinces_crosswalk as p on l.province_code = p.legacy_province_code

    union all
    select
        'legacy',
        'commune',
        l.commune_code,
        l.commune_name,
        'district',
        l.district_code,
        l.province_code,
        'commune',
        c.commune_code_2025,
        l.commune_lat,
        l.commune_lon
    from legacy as l
    left join crosswalk as c on l.commune_code = c.legacy_commune_code

    union all
    select distinct
        '2025',
        'province',
        province_code as unit_code,
        province_name,
        null,
        null,
        province_code,
        null,
        null,
        province_lat,
        province_lon
    from current_

    union all
    select
        '2025',
        'commune',
        commune_code,
        commune_name,
        'province',
        province_code as parent_code,
        province_code,
        null,
        null,
        commune_lat,
        commune_lon
    from current_
)

select
    map || ':' || unit_level || ':' || unit_code as unit_key,
    *,
    case when map = '2025' then '{{ reform }}' end as valid_from_year,
    case when map = 'legacy' then '{{ last_legacy }}' end as valid_to_year,
    case
        when map = 'legacy' then 'Địa giới trước 01/7/2025 (63 tỉnh, có cấp huyện)'
        else 'Địa giới từ 01/7/2025 (34 tỉnh, không có cấp huyện)'
    end as map_label
from units
