-- Every target ever assigned, by decision: which one is in force for its assignee,
-- indicator, year (or horizon) and segment, and which later decision replaced the others.
with assignments as (
    select * from {{ ref('stg_targets__assignments') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by assignee_level, assignee_code, indicator_code, school_year, segment
            order by issued_on desc, arrival_seq desc, source_row desc
        ) as recency,
        lag(decision_no) over (
            partition by assignee_level, assignee_code, indicator_code, school_year, segment
            order by issued_on, arrival_seq, source_row
        ) as previous_decision_no,
        lead(decision_no) over (
            partition by assignee_level, assignee_code, indicator_code, school_year, segment
            order by issued_on, arrival_seq, source_row
        ) as superseded_by_decision_no,
        lead(issued_on) over (
            partition by assignee_level, assignee_code, indicator_code, school_year, segment
            order by issued_on, arrival_seq, source_row
        ) as superseded_on
    from assignments
)

select
    r.decision_no,
    r.issued_on,
    r.issuer_code,
    r.assignee_level,
    r.assignee_code,
    r.school_year,
    case when r.school_year like '____-____' then 'year' else 'horizon' end as target_kind,
    r.indicator_code,
    i.name_vi as indicator_name,
    r.segment,
    r.comparator,
    cast(r.target_value as double) as target_value,
    r.comparator_text,
    r.target_text,
    r.tolerance,
    r.recency = 1 as in_force,
    r.previous_decision_no,
    r.superseded_by_decision_no,
    r.superseded_on,
    r.note,
    r.file_hash as target_file_hash,
    r.source_row as target_source_row
from ranked as r
left join {{ ref('indicators') }} as i using (indicator_code)
