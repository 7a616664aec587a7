-- The target in force for each assignee, indicator, school year (or horizon) and segment:
-- the one of the latest decision. Earlier decisions stay in stg_targets__assignments and
-- in fct_target_history.
select
    *,
    count(*) over (
        partition by assignee_level, assignee_code, indicator_code, school_year, segment
    ) as decisions_on_record
from {{ ref('stg_targets__assignments') }}
qualify row_number() over (
    partition by assignee_level, assignee_code, indicator_code, school_year, segment
    order by issued_on desc, load_seq desc, source_row desc
) = 1
