-- One row per received report workbook (distinct content), with its outcome.
select
    file_hash,
    landing_path,
    school_code,
    school_name,
    school_year,
    period,
    report_date,
    received_at,
    status,
    errors,
    warnings,
    load_seq,
    loaded_at,
    batch_id
from {{ source('raw', 'files') }}
where kind = 'reports'
