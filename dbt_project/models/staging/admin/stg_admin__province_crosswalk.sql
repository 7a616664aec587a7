-- Legacy province (63) -> the 2025 province (34) it became part of.
select
    legacy_province_code,
    province_code_2025
from {{ source('raw', 'admin_province_crosswalk') }}
