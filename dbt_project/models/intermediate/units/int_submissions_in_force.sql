{{ incremental_by_period(by_province=true) }}
-- The report in force for each school, school year and period: the accepted one with the
-- latest report date, then the latest arrival. A refused resubmission never replaces it,
-- and a stale copy (an earlier report date) arriving last does not either. Rebuilt by
-- partition (the school's 2025 province).
select
    s.file_hash,
    s.school_code,
    s.school_year,
    s.period,
    s.report_date,
    s.status,
    s.received_at,
    sc.province_code_2025
from {{ ref('stg_reports__submissions') }} as s
left join {{ ref('int_schools_by_year') }} as sc using (school_code, school_year)
where
    s.status in ('accepted', 'accepted_with_warnings')
    and {{ in_changed_partitions('s.school_year', 's.period', 'sc.province_code_2025') }}
qualify row_number() over (
    partition by s.school_code, s.school_year, s.period
    order by s.report_date desc nulls last, {{ arrival_order('s', 'desc') }}
) = 1
