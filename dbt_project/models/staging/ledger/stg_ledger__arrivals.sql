-- Every file the warehouse received (distinct content), in the order it arrived.
-- "A later file wins" always means later by arrival — the file's time in the landing folder,
-- ties broken by its hash — never by when a run happened to load it: the marts built from
-- files loaded in one run or in many are the same.
select
    file_hash,
    kind,
    status,
    received_at,
    load_seq,
    row_number() over (order by received_at, file_hash) as arrival_seq
from {{ source('raw', 'files') }}
