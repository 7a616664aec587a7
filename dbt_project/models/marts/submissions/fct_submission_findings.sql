{{ incremental_by_period() }}
-- Every problem found in a received report (reader and GX), with the file and school:
-- what the feedback pages show, for dashboards and follow-up by the district office.
-- Rebuilt by period (a file's findings are its period's); a file without a school year or
-- period makes the build a full one (transform/partitions.py), so its rows stay right.
select
    s.file_hash,
    s.school_code,
    s.school_year,
    s.period,
    s.status,
    f.source,
    f.code,
    f.severity,
    f.message,
    f.hint,
    f.sheet,
    f."row" as sheet_row,
    f."column" as sheet_column,
    f.field
from {{ ref('stg_reports__findings') }} as f
inner join {{ ref('stg_reports__submissions') }} as s using (file_hash)
where {{ in_changed_partitions('s.school_year', 's.period') }}
