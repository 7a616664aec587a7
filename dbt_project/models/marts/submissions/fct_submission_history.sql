-- Which report was in force for each school, year and period, and when: one row per spell.
-- After every arrival the report in force is the accepted one with the latest report date
-- (then the latest arrival); a spell ends when a later arrival outranks it.
with accepted as (
    select * from {{ ref('stg_reports__submissions') }}
    where status in ('accepted', 'accepted_with_warnings')
),

after_each_arrival as (
    select
        school_code, school_year, period, load_seq, loaded_at,
        arg_max(file_hash, coalesce(epoch(report_date), 0) * 1000000000 + load_seq) over (
            partition by school_code, school_year, period order by load_seq
            rows between unbounded preceding and current row
        ) as file_in_force
    from accepted
),

changes as (
    select *,
           lag(file_in_force) over (
               partition by school_code, school_year, period order by load_seq
           ) as previous_in_force
    from after_each_arrival
),

spells as (
    select school_code, school_year, period, file_in_force as file_hash,
           loaded_at as in_force_from, load_seq
    from changes
    where previous_in_force is null or previous_in_force != file_in_force
)

select
    s.school_code,
    s.school_year,
    s.period,
    s.file_hash,

    a.report_date,
    s.in_force_from,
    lead(s.in_force_from) over (
        partition by s.school_code, s.school_year, s.period order by s.load_seq
    ) as in_force_to,
    lead(s.in_force_from) over (
        partition by s.school_code, s.school_year, s.period order by s.load_seq
    ) is null as is_current
from spells as s
join accepted as a using (file_hash)
