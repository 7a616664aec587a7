-- Gifted pupils' contests: award rates per contest level (awarded / candidates), and the
-- science-fair (KHKT) projects, a count.
{% set indicator_codes = [
    'gifted_district_award_rate', 'gifted_province_award_rate', 'science_fair_projects',
] %}
with indicators as ({{ family_indicators(indicator_codes) }})

select
    s.school_code,
    s.school_year,
    s.period,
    s.province_code_2025,
    i.indicator_code,
    sum(case when i.unit = 'count' then g.science_projects else g.awarded end) as numerator,
    sum(case when i.unit = 'count' then null else g.candidates end) as denominator
from {{ ref('stg_reports__gifted') }} as g
inner join {{ ref('int_submissions_in_force') }} as s using (file_hash)
inner join indicators as i
    on
        (i.family = 'gifted' and list_contains(i.grade_list, g.contest_level))
        or i.family = 'gifted_projects'
group by all
