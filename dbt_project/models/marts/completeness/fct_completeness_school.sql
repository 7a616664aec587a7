{{ incremental_by_period(by_province=true) }}
-- Ai đã báo cáo: every school the registry expects to report, per school year and period,
-- with what it sent, when, and whether it was late. A school is expected for a period once
-- the collection has run in its province (some school of the province reported for it).
-- Deadlines come from the periods seed (docs/domain.md §3: 15/10, 15/01, 31/05; edit
-- seeds/periods.csv to change them); a report is late when its first file arrived after
-- the end of the deadline day (Vietnam time). Rebuilt by partition (school year, period,
-- 2025 province); the day after a deadline the whole period is rebuilt
-- (ingest/transform/partitions.py), as its «not due» schools turn «missing».
with schools as (
    select * from {{ ref('int_schools_by_year') }}
),

school_years as (
    select distinct school_year from schools
),

periods as (
    select
        p.*,
        y.school_year,
        make_date(
            cast(left(y.school_year, 4) as integer) + p.deadline_year_offset,
            p.deadline_month, p.deadline_day
        ) as deadline
    from {{ ref('periods') }} as p
    cross join school_years as y
),

submissions as (
    select * from {{ ref('stg_reports__submissions') }}
),

received as (
    select
        school_code,
        school_year,
        period,
        count(*) as files_received,
        min(received_at) as first_received_at,
        min(received_at) filter (where status != 'rejected') as first_accepted_at,
        count(*) filter (where status != 'rejected') as files_accepted,
        count(*) filter (where status = 'rejected') as files_rejected
    from submissions
    group by all
),

in_force as (
    select * from {{ ref('int_submissions_in_force') }}
),

collections as (  -- (province, year, period) for which reports were collected
    select distinct
        sc.province_code_2025,
        s.school_year,
        s.period
    from submissions as s
    inner join schools as sc using (school_code, school_year)
)

select
    p.school_year,
    p.period,
    p.label_vi as period_label,
    p.deadline,
    s.school_code,
    s.school_name,
    s.school_level,
    s.commune_code,
    s.commune_name,
    s.district_code,
    s.district_name,
    s.province_code,
    s.province_name,
    s.province_code_2025,
    coalesce(r.files_received, 0) as files_received,
    coalesce(r.files_accepted, 0) as files_accepted,
    coalesce(r.files_rejected, 0) as files_rejected,
    r.first_received_at,
    r.first_accepted_at,
    f.file_hash as report_file_hash,
    f.status as report_status,
    -- received_at is UTC; the deadline day ends at 24:00 in Vietnam (UTC+7)
    r.first_received_at > p.deadline + interval 17 hour as late,
    case
        when f.file_hash is not null and f.status = 'accepted_with_warnings' then 'accepted_with_warnings'
        when f.file_hash is not null then 'accepted'
        when r.files_rejected > 0 then 'rejected'
        when current_date <= p.deadline then 'not_due'
        else 'missing'
    end as status,
    case
        when f.file_hash is not null then 'Đã nộp, được tiếp nhận'
        when r.files_rejected > 0 then 'Đã nộp nhưng bị từ chối, chờ gửi lại'
        when current_date <= p.deadline then 'Chưa đến hạn'
        else 'Chưa nộp'
    end as status_label
from schools as s
inner join periods as p on s.school_year = p.school_year
inner join collections as c
    on
        s.province_code_2025 = c.province_code_2025 and p.school_year = c.school_year
        and p.period = c.period
left join received as r
    on s.school_code = r.school_code and p.school_year = r.school_year and p.period = r.period
left join in_force as f
    on s.school_code = f.school_code and p.school_year = f.school_year and p.period = f.period
where {{ in_changed_partitions('p.school_year', 'p.period', 's.province_code_2025') }}
