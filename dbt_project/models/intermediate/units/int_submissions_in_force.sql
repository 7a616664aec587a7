-- The report in force for each school, school year and period: the latest accepted one
-- (by report date, then by arrival). A refused resubmission never replaces it.
select
    file_hash,
    school_code,
    school_year,
    period,
    report_date,
    status,
    load_seq
from {{ ref('stg_reports__submissions') }}
where status in ('accepted', 'accepted_with_warnings')
qualify row_number() over (
    partition by school_code, school_year, period order by report_date desc, load_seq desc
) = 1
