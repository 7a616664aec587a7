-- One row per received report workbook (distinct content), with its outcome and its place
-- in the order of arrival.
select
    f.file_hash,
    f.landing_path,
    f.school_code,
    f.school_name,
    f.school_year,
    f.period,
    f.report_date,
    f.received_at,
    f.status,
    f.errors,
    f.warnings,
    f.load_seq,
    a.arrival_seq,
    f.loaded_at,
    f.batch_id
from {{ source('raw', 'files') }} as f
inner join {{ ref('stg_ledger__arrivals') }} as a using (file_hash)
where f.kind = 'reports'
