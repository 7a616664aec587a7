-- Điều tra PCGD: population by commune, school year and single year of age; a later file wins.
select
    c.commune_code,
    c.school_year,
    c.age,
    c.population,
    c.female,
    c.file_hash,
    c."row" as source_row
from {{ source('raw', 'census') }} as c
inner join {{ ref('stg_ledger__arrivals') }} as f using (file_hash)
where f.kind = 'census' and f.status != 'rejected'
qualify row_number() over (
    partition by c.commune_code, c.school_year, c.age order by f.arrival_seq desc
) = 1
