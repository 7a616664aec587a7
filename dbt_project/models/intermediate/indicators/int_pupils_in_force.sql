{{ incremental_by_period(by_province=true) }}
-- Sheet «Học sinh» of every report in force, per school, school year, period and grade:
-- the input of six indicator families (attendance, dropout, promotion, completion, and the
-- enrolment and class counts the nutrition and facilities families divide by). Rebuilt by
-- partition: the 2025 province of the school, as int_submissions_in_force places it.
select
    s.school_code,
    s.school_year,
    s.period,
    s.province_code_2025,
    p.* exclude (load_seq)
from {{ ref('stg_reports__pupils') }} as p
inner join {{ ref('int_submissions_in_force') }} as s using (file_hash)
where {{ in_changed_partitions('s.school_year', 's.period', 's.province_code_2025') }}
