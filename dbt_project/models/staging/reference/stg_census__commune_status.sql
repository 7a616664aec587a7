-- PCGD-XMC status of each commune and school year, from the latest census file that has it.
with census as (
    select
        c.*,
        f.arrival_seq,
        max(f.arrival_seq) over (partition by c.commune_code, c.school_year) as latest_seq
    from {{ source('raw', 'census') }} as c
    inner join {{ ref('stg_ledger__arrivals') }} as f using (file_hash)
    where f.kind = 'census' and f.status != 'rejected'
)

select
    commune_code,
    school_year,
    max(pcgd_preschool_5) as pcgd_preschool_5,
    max(pcgd_primary) as pcgd_primary,
    max(pcgd_lower_secondary) as pcgd_lower_secondary,
    max(literacy) as literacy
from census
where arrival_seq = latest_seq
group by commune_code, school_year
