-- Every commune of both maps, keyed by (map, commune code): the legacy communes with their
-- district and province, the 2025 communes with their province. Codes are reused across
-- the maps, so a commune is always looked up with the map of its school year.
select
    'legacy' as map,
    commune_code,
    commune_name,
    district_code,
    district_name,
    province_code,
    province_name
from {{ ref('stg_admin__communes_legacy') }}
union all
select
    '2025',
    commune_code,
    commune_name,
    null,
    null,
    province_code,
    province_name
from {{ ref('stg_admin__communes_2025') }}
