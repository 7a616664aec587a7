{{ incremental_by_period() }}
-- Tình hình nộp báo cáo theo huyện: per district, school year and period, how many schools
-- were expected, reported, were accepted, were refused, were late, and which are missing.
-- Rebuilt by period: a changed partition redoes its whole period (a district's row reads
-- its period's schools only).
select
    school_year,
    period,
    any_value(period_label) as period_label,
    any_value(deadline) as deadline,
    district_code,
    any_value(district_name) as district_name,
    province_code,
    any_value(province_name) as province_name,
    count(*) as schools_expected,
    count(*) filter (where files_received > 0) as schools_reported,
    count(*) filter (where status in ('accepted', 'accepted_with_warnings')) as schools_accepted,
    count(*) filter (where status = 'accepted_with_warnings') as schools_accepted_with_warnings,
    count(*) filter (where status = 'rejected') as schools_rejected,
    count(*) filter (where late) as schools_late,
    count(*) filter (where status = 'missing') as schools_missing,
    100.0 * count(*) filter (where status in ('accepted', 'accepted_with_warnings')) / count(*)
        as completeness_rate,
    string_agg(school_name, '; ' order by school_name) filter (where status = 'missing')
        as missing_schools,
    string_agg(school_name, '; ' order by school_name) filter (where late) as late_schools,
    string_agg(school_name, '; ' order by school_name) filter (where status = 'rejected')
        as rejected_schools
from {{ ref('fct_completeness_school') }}
where {{ in_changed_partitions() }}
group by school_year, period, district_code, province_code
