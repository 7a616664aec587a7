-- Communes in force from 1 July 2025 (no districts), with their province.
select
    commune_code,
    commune_name,
    commune_type,
    province_code,
    province_name,
    province_lat,
    province_lon,
    commune_lat,
    commune_lon
from {{ source('raw', 'admin_units_2025') }}
