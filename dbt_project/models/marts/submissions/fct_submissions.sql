{{ incremental_by_period(by_province=true) }}
-- Every report workbook received: who sent it for which year and period, what became of it
-- (accepted, accepted with warnings, refused), whether it is the report in force, and if
-- not, which one replaced it. Rebuilt by partition (school year, period, the school's 2025
-- province); a file without a school year or period changes the build to a full one.
with submissions as (
    select * from {{ ref('stg_reports__submissions') }}
),

in_force as (
    select * from {{ ref('int_submissions_in_force') }}
),

registry as (
    select * from {{ ref('int_schools_by_year') }}
)

select
    s.file_hash,
    s.school_code,
    coalesce(r.school_name, s.school_name) as school_name,
    r.commune_code,
    r.district_code,
    r.province_code,
    r.province_code_2025,
    s.school_year,
    s.period,
    s.report_date,
    s.received_at,
    s.loaded_at,
    s.status,
    s.errors,
    s.warnings,
    f.file_hash is not null as in_force,
    case when s.status != 'rejected' and f.file_hash is null then f_now.file_hash end as superseded_by,
    case
        when s.status = 'rejected' then 'Bị từ chối: ' || s.errors || ' lỗi (xem phản hồi)'
        when f.file_hash is not null then 'Đang có hiệu lực'
        when
            f_now.report_date > s.report_date
            or f_now.received_at > s.received_at
            or (f_now.received_at = s.received_at and f_now.file_hash > s.file_hash)
            then 'Đã được thay bằng báo cáo ngày ' || strftime(f_now.report_date, '%d/%m/%Y')
        else 'Không có hiệu lực'
    end as outcome_vi
from submissions as s
left join in_force as f on s.file_hash = f.file_hash
left join in_force as f_now
    on
        s.school_code = f_now.school_code and s.school_year = f_now.school_year
        and s.period = f_now.period
left join registry as r on s.school_code = r.school_code and s.school_year = r.school_year
where {{ in_changed_partitions('s.school_year', 's.period', 'r.province_code_2025') }}
