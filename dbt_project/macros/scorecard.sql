{#
  Share of targets met per unit, school year, period and level (mn, th, thcs, and 'all'),
  from a fct_target_achievement_<level> mart. A target counts once per unit and segment;
  share_met = met / targets with a verdict (met + not_met), share_on_track likewise for
  interim readings. Units are ranked within their parent (school: district; district:
  province) and within the province, best share first. Built incrementally by school year,
  period and 2025 province (macros/incremental_by_period.sql): every province a unit is
  ranked in lies in one 2025 province, so a partition holds whole rankings.
#}
{% macro scorecard(achievement, parent_column) %}
with rows_ as (
    select * from {{ ref(achievement) }}
    where status != 'no_target' and {{ in_changed_partitions(province='province_code_2025') }}
),

levels as (
    select *, indicator_level as scorecard_level from rows_ where indicator_level != 'all'
    union all
    select *, 'all' as scorecard_level from rows_
),

counted as (
    select
        school_year,
        period,
        period_label,
        scorecard_level,
        unit_code,
        any_value(unit_name) as unit_name,
        {% if parent_column != 'province_code' %}any_value({{ parent_column }}) as {{ parent_column }},{% endif %}
        any_value(province_code) as province_code,
        any_value(province_code_2025) as province_code_2025,
        count(*) as targets,
        count(*) filter (where status = 'met') as met,
        count(*) filter (where status = 'not_met') as not_met,
        count(*) filter (where status = 'on_track') as on_track,
        count(*) filter (where status = 'at_risk') as at_risk,
        count(*) filter (where status = 'no_data') as no_data
    from levels
    group by school_year, period, period_label, scorecard_level, unit_code
)

select
    *,
    case when met + not_met > 0 then 100.0 * met / (met + not_met) end as share_met,
    case when on_track + at_risk > 0 then 100.0 * on_track / (on_track + at_risk) end
        as share_on_track,
    {% if parent_column != 'province_code' %}
    rank() over (
        partition by school_year, period, scorecard_level, {{ parent_column }}
        order by coalesce(100.0 * met / nullif(met + not_met, 0),
                          100.0 * on_track / nullif(on_track + at_risk, 0)) desc nulls last
    ) as rank_in_{{ parent_column.replace('_code', '') }},
    {% endif %}
    rank() over (
        partition by school_year, period, scorecard_level, province_code
        order by coalesce(100.0 * met / nullif(met + not_met, 0),
                          100.0 * on_track / nullif(on_track + at_risk, 0)) desc nulls last
    ) as rank_in_province
from counted
{% endmacro %}
