-- Legacy communes (until 30 June 2025) with their district and province.
select
    commune_code,
    commune_name,
    commune_type,
    district_code,
    district_name,
    province_code,
    province_name,
    commune_lat,
    commune_lon,
    district_lat,
    district_lon,
    province_lat,
    province_lon
from {{ source('raw', 'admin_units_legacy') }}
where commune_code != ''
