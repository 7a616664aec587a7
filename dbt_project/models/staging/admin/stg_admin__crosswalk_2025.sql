-- Legacy commune -> 2025 commune and province (vietnamadminunits' converter, by code).
-- A legacy commune split between several new communes has one row per part; one of them
-- is its default successor.
select
    legacy_commune_code,
    legacy_district_code,
    legacy_province_code,
    commune_code_2025,
    province_code_2025,
    is_split,
    is_default
from {{ source('raw', 'admin_crosswalk_2025') }}
