-- Schools that qualify (chuẩn quốc gia, STEM, ready for inclusion, high quality): each school
-- counts 1 in the denominator and 1 in the numerator when it qualifies; high_quality_schools
-- is a count of schools (no denominator).
{% set indicator_codes = [
    'national_standard_schools', 'stem_schools', 'inclusive_ready_schools', 'high_quality_schools',
] %}
with indicators as ({{ family_indicators(indicator_codes) }})

select
    s.school_code,
    s.school_year,
    s.period,
    s.province_code_2025,
    i.indicator_code,
    case i.indicator_code
        when 'national_standard_schools' then (st.national_standard in ('muc_1', 'muc_2'))::int
        when 'stem_schools' then (st.stem = 'co')::int
        when 'inclusive_ready_schools' then (st.inclusive_ready = 'co')::int
        when 'high_quality_schools' then (st.high_quality = 'co')::int
    end as numerator,
    case when i.unit = 'count' then null else 1 end as denominator
from {{ ref('stg_reports__school_status') }} as st
inner join {{ ref('int_submissions_in_force') }} as s using (file_hash)
cross join indicators as i
