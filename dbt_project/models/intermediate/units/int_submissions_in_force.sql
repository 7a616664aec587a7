-- The report in force for each school, school year and period: the accepted one with the
-- latest report date, then the latest arrival. A refused resubmission never replaces it,
-- and a stale copy (an earlier report date) arriving last does not either.
select
    file_hash,
    school_code,
    school_year,
    period,
    report_date,
    status,
    received_at,
    arrival_seq
from {{ ref('stg_reports__submissions') }}
where status in ('accepted', 'accepted_with_warnings')
qualify row_number() over (
    partition by school_code, school_year, period order by report_date desc nulls last, arrival_seq desc
) = 1
