-- Biểu giao chỉ tiêu: every assigned target as received, comparator and value parsed exactly.
select
    t.decision_no,
    t.issued_on,
    t.issuer_code,
    t.assignee_code,
    t.assignee_level,
    t.school_year,
    t.indicator_code,
    coalesce(t.segment, 'all') as segment,
    t.comparator,
    t.target_value,
    t.target_count,
    t.target_base,
    t.tolerance,
    t.comparator_text,
    t.target_text,
    t.note,
    t.file_hash,
    t."row" as source_row,
    f.arrival_seq
from {{ source('raw', 'targets') }} as t
inner join {{ ref('stg_ledger__arrivals') }} as f using (file_hash)
where f.kind = 'targets' and f.status != 'rejected'
