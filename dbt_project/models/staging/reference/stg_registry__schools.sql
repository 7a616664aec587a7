-- Danh mục trường: one row per school and validity period; a later file wins.
select
    r.school_code,
    r.school_name,
    r.school_level,
    r.school_type,
    r.ownership,
    r.commune_code,
    r.area,
    coalesce(r.valid_from, '0000-0001') as valid_from,
    r.valid_to,
    r.file_hash,
    r."row" as source_row
from {{ source('raw', 'registry') }} as r
join {{ source('raw', 'files') }} as f using (file_hash)
where f.status != 'rejected'
qualify row_number() over (
    partition by r.school_code, coalesce(r.valid_from, '0000-0001') order by f.load_seq desc
) = 1
