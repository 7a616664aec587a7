-- One row per received report workbook (distinct content), with its outcome and when it
-- arrived (received_at: the order of arrival is received_at, then file_hash).
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
    f.loaded_at,
    f.batch_id
from {{ source('raw', 'files') }} as f
where f.kind = 'reports'
