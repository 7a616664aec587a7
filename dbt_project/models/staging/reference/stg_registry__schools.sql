-- Danh mục trường: one row per school and validity period; a later file wins.
-- A commune code refers to the map in force when the row starts: a row that starts before
-- the 2025 reform holds at most until the last legacy school year (from reform_school_year
-- a school needs a row with its 2025 commune code).
{% set reform = var('reform_school_year') %}
{% set last_legacy = (reform[:4] | int - 1) ~ '-' ~ reform[:4] %}
with registry as (
    select
        r.school_code,
        r.school_name,
        r.school_level,
        r.school_type,
        r.ownership,
        r.commune_code,
        r.area,
        coalesce(r.valid_from, '0000-0001') as valid_from,
        r.valid_to as stated_valid_to,
        r.file_hash,
        r."row" as source_row
    from {{ source('raw', 'registry') }} as r
    inner join {{ ref('stg_ledger__arrivals') }} as f using (file_hash)
    where f.kind = 'registry' and f.status != 'rejected'
    qualify row_number() over (
        partition by r.school_code, coalesce(r.valid_from, '0000-0001') order by f.arrival_seq desc
    ) = 1
)

select
    *,
    case
        when valid_from < '{{ reform }}'
            then least(coalesce(stated_valid_to, '{{ last_legacy }}'), '{{ last_legacy }}')
        else stated_valid_to
    end as valid_to
from registry
