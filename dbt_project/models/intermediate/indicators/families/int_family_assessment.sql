-- Assessment (đánh giá, xếp loại): pupils at the levels an indicator counts / pupils assessed
-- on its dimension. Primary, the 2018 programme and the old programme's scales all count into
-- the same indicators (seeds/assessment_levels.csv says which levels count).
{% set indicator_codes = [
    'th_subject_completion', 'thcs_conduct_avg_plus', 'thcs_conduct_good_plus',
    'thcs_academic_avg_plus', 'thcs_academic_good_plus',
] %}
with indicators as ({{ family_indicators(indicator_codes) }})

select
    s.school_code,
    s.school_year,
    s.period,
    s.province_code_2025,
    l.indicator_code,
    sum(case when l.counted then a.pupils else 0 end) as numerator,
    sum(a.pupils) as denominator
from {{ ref('stg_reports__assessment') }} as a
inner join {{ ref('int_submissions_in_force') }} as s using (file_hash)
inner join {{ ref('assessment_levels') }} as l on a.dimension = l.dimension and a.level = l.level
inner join indicators as i
    on
        l.indicator_code = i.indicator_code
        and list_contains(i.grade_list, a.grade)
group by all
