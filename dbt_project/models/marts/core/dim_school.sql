-- Danh mục trường theo thời gian (SCD2 by school year): one row per school and version —
-- each registry row with its validity in school years, placed on the map of its first year,
-- and what changed from the version before (renamed, moved commune, new level, …) or that
-- the school closed (merged into another or dissolved).
with registry as (
    select * from {{ ref('stg_registry__schools') }}
),

placed as (
    select
        r.*,
        c.commune_name,
        c.district_code,
        c.district_name,
        c.province_code,
        c.province_name
    from (select
        *,
        {{ map_of('valid_from') }} as map
    from registry) as r
    left join {{ ref('int_communes_by_map') }} as c
        on r.map = c.map and r.commune_code = c.commune_code
),

versions as (
    select
        *,
        lag(school_name) over w as previous_name,
        lag(commune_code) over w as previous_commune_code,
        lag(map) over w as previous_map,
        lag(school_level) over w as previous_level,
        lead(valid_from) over w as next_valid_from,
        row_number() over w as version
    from placed
    window w as (partition by school_code order by valid_from)
)

select
    school_code || ':' || valid_from as school_version_key,
    school_code,
    version,
    school_name,
    school_level,
    school_type,
    ownership,
    area,
    map,
    commune_code,
    commune_name,
    district_code,
    district_name,
    province_code,
    province_name,
    nullif(valid_from, '0000-0001') as valid_from_year,
    valid_to as valid_to_year,
    valid_to is null as is_current,
    concat_ws(
        '; ',
        case when version = 1 then 'Có trong danh mục' end,
        case
            when version > 1 and school_name != previous_name
                then 'Đổi tên (trước: ' || previous_name || ')'
        end,
        case
            when version > 1 and map != previous_map
                then 'Sắp xếp đơn vị hành chính 2025: chuyển sang ' || coalesce(commune_name, commune_code)
            when version > 1 and commune_code != previous_commune_code
                then 'Chuyển địa bàn sang ' || coalesce(commune_name, commune_code)
        end,
        case
            when version > 1 and school_level != previous_level
                then 'Đổi cấp học (trước: ' || previous_level || ')'
        end,
        case
            when stated_valid_to is not null and next_valid_from is null
                then 'Ngừng hoạt động sau năm học ' || valid_to || ' (sáp nhập hoặc giải thể)'
            when stated_valid_to is null and valid_to is not null and next_valid_from is null
                then 'Chưa có bản ghi theo địa giới 2025: cần cập nhật danh mục trường'
        end
    ) as change_vi,
    file_hash as registry_file_hash,
    source_row as registry_source_row
from versions
