-- Every file the warehouse received (distinct content). "A later file wins" always means
-- later by arrival — the file's time in the landing folder, ties broken by its hash
-- (macros/arrival_order.sql) — never by when a run happened to load it: the marts built
-- from files loaded in one run or in many are the same.
select
    file_hash,
    kind,
    status,
    received_at,
    load_seq,
    -- the order of arrival among the files of its kind: a model that reads one kind's
    -- files (kind = '…') makes DuckDB number those only, not every report ever received
    row_number() over (partition by kind order by received_at, file_hash) as arrival_seq
from {{ source('raw', 'files') }}
