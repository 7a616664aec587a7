{{ incremental_by_period(by_province=true) }}
-- Numerator and denominator of every school-based indicator (catalogue base = 'school'),
-- per school, school year and period, from the report in force. Each indicator family is
-- its own model (families/int_family_<family>.sql, naming the indicator codes it computes);
-- this model unions them, over the families listed in dbt_project.yml's
-- `school_indicator_families`. Rates are divided only in the marts, after summing counts up
-- the hierarchy. Rebuilt by partition: each family carries the school's 2025 province
-- (int_submissions_in_force), so the filter reaches the tables they read.
with indicators as (
    select * from {{ ref('indicators') }}
    where computed and base = 'school'
),

all_counts as (
    {% for family in var('school_indicator_families') %}
        select
            school_code,
            school_year,
            period,
            province_code_2025,
            indicator_code,
            numerator,
            denominator
        from {{ ref('int_family_' ~ family) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    c.school_code,
    c.school_year,
    c.period,
    c.province_code_2025,
    c.indicator_code,
    cast(c.numerator as double) as numerator,
    cast(c.denominator as double) as denominator
from all_counts as c
inner join indicators as i using (indicator_code)
where
    list_contains(string_split(i.periods, '|'), c.period)
    and {{ in_changed_partitions('c.school_year', 'c.period', 'c.province_code_2025') }}
