{{ incremental_by_period(by_province=true) }}
-- Which report was in force for each school, year and period, and when: one row per spell.
-- After every arrival the report in force is the accepted one with the latest report date
-- (then the latest arrival); a spell starts when the file that made it so arrived
-- (`received_at`) and ends when a later arrival outranks it. Files that arrived at the same
-- moment are weighed together, so a spell never starts twice at one moment, and the
-- history is the same whether its files were loaded in one run or in many.
with accepted as (  -- rebuilt by partition: the school's school year, period and 2025 province
    select
        s.*,
        sc.province_code_2025
    from {{ ref('stg_reports__submissions') }} as s
    left join {{ ref('int_schools_by_year') }} as sc using (school_code, school_year)
    where
        s.status in ('accepted', 'accepted_with_warnings')
        and {{ in_changed_partitions('s.school_year', 's.period', 'sc.province_code_2025') }}
),

ranked as (
    -- the rank a file would have in int_submissions_in_force: report date, then arrival
    select
        *,
        row_number() over (
            partition by school_code, school_year, period
            order by report_date nulls first, {{ arrival_order() }}
        ) as strength
    from accepted
),

moments as (
    -- the strongest file received up to and including each moment of arrival
    select distinct
        school_code,
        school_year,
        period,
        received_at as moment,
        max(strength) over (
            partition by school_code, school_year, period order by received_at
            range between unbounded preceding and current row
        ) as strongest
    from ranked
),

changes as (
    select
        *,
        lag(strongest) over (
            partition by school_code, school_year, period order by moment
        ) as strongest_before
    from moments
),

spells as (
    select
        school_code,
        school_year,
        period,
        strongest,
        moment as in_force_from
    from changes
    where strongest_before is null or strongest_before != strongest
)

select
    s.school_code,
    s.school_year,
    s.period,
    r.file_hash,

    r.report_date,
    s.in_force_from,
    lead(s.in_force_from) over (
        partition by s.school_code, s.school_year, s.period order by s.in_force_from
    ) as in_force_to,
    lead(s.in_force_from) over (
        partition by s.school_code, s.school_year, s.period order by s.in_force_from
    ) is null as is_current,
    r.province_code_2025
from spells as s
inner join ranked as r
    on
        s.school_code = r.school_code and s.school_year = r.school_year
        and s.period = r.period and s.strongest = r.strength
