-- What the reader and the GX suites found, per file and cell (Vietnamese messages).
select
    file_hash,
    source,
    code,
    severity,
    message,
    hint,
    sheet,
    "row",
    "column",
    field,
    value
from {{ source('raw', 'findings') }}
