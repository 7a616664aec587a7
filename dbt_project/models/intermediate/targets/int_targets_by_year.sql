{{ incremental_by_year('applies_to_year') }}
-- The target that applies to each assignee, indicator, segment and school year.
--
-- A target set for a school year applies to that year. A horizon target ("đến năm 2025",
-- Năm học = 2025) applies to every school year from the one its decision was issued in up
-- to the school year ending in the horizon year (2024-2025): as progress before it, as the
-- verdict in it. A target for the year wins over a horizon target; among targets of the
-- same kind, the latest decision wins. Earlier decisions stay in fct_target_history.
with assignments as (
    select * from {{ ref('stg_targets__assignments') }}
),

years as (
    select distinct school_year from {{ ref('stg_reports__submissions') }}
    where school_year like '____-____'
    union
    select distinct school_year from assignments
    where school_year like '____-____'
),

yearly as (
    select
        a.*,
        a.school_year as applies_to_year,
        'year' as target_kind,
        null::varchar as horizon_year,
        a.school_year as final_school_year
    from assignments as a
    where a.school_year like '____-____'
),

horizon as (
    select
        a.*,
        y.school_year as applies_to_year,
        'horizon' as target_kind,
        a.school_year as horizon_year,
        cast(cast(a.school_year as integer) - 1 as varchar) || '-' || a.school_year
            as final_school_year
    from assignments as a
    inner join years as y
        on
            y.school_year <= cast(cast(a.school_year as integer) - 1 as varchar) || '-' || a.school_year
            and y.school_year >= case
                when month(a.issued_on) >= 8
                    then cast(year(a.issued_on) as varchar) || '-' || cast(year(a.issued_on) + 1 as varchar)
                else cast(year(a.issued_on) - 1 as varchar) || '-' || cast(year(a.issued_on) as varchar)
            end
    where a.school_year similar to '[0-9]{4}'
),

candidates as (  -- an incremental build: the school years of the changed partitions
    select * from (
        select * from yearly
        union all by name
        select * from horizon
    )
    where {{ in_changed_years('applies_to_year') }}
)

select
    * exclude (arrival_seq),  -- an order among target files only: a late file renumbers it
    count(*) over (
        partition by assignee_level, assignee_code, indicator_code, applies_to_year, segment
    ) as decisions_on_record
from candidates
qualify row_number() over (
    partition by assignee_level, assignee_code, indicator_code, applies_to_year, segment
    order by (target_kind = 'year') desc, issued_on desc, arrival_seq desc, source_row desc
) = 1
