{#
  A mart of targets versus achievements for one level (school, commune, district,
  province) and one kind of boundaries: the rows of int_target_achievement, with the
  unit's name and parents on the map of its school year (or the 2025 map), Vietnamese
  labels, and the columns analysts and dashboards filter on. Built incrementally by school
  year, period and province_code_2025 (macros/incremental_by_period.sql).
#}
{% macro achievement_mart(level, boundaries='reported') %}
with achievement as (
    select * from {{ ref('int_target_achievement') }}
    where
        unit_level = '{{ level }}' and boundaries = '{{ boundaries }}'
        and {{ in_changed_partitions(province='province_code_2025') }}
),

{% if level == 'school' %}
units as (
    select school_year, school_code as unit_code, school_name as unit_name, school_level, area,
           commune_code, commune_name, district_code, district_name, province_code,
           province_name, province_code_2025
    from {{ ref('int_schools_by_year') }}
),
{% else %}
units as (
    select u.map, u.unit_code, u.unit_name,
           {% if level == 'commune' %}
           case when u.map = 'legacy' then u.parent_code end as district_code,
           d.unit_name as district_name,
           {% endif %}
           u.province_code, p.unit_name as province_name, u.successor_code
    from {{ ref('dim_admin_unit') }} as u
    left join {{ ref('dim_admin_unit') }} as d
        on d.map = u.map and d.unit_level = 'district' and d.unit_code = u.parent_code
    left join {{ ref('dim_admin_unit') }} as p
        on p.map = u.map and p.unit_level = 'province' and p.unit_code = u.province_code
    where u.unit_level = '{{ level }}'
),
{% endif %}

indicators as (
    select * from {{ ref('indicators') }}
),

periods as (
    select * from {{ ref('periods') }}
)

select
    a.school_year,
    a.period,
    p.label_vi as period_label,
    '{{ boundaries }}' as boundaries,
    {% if boundaries == '2025' %}'2025'{% else %}{{ map_of('a.school_year') }}{% endif %} as map,
    a.unit_code,
    u.unit_name,
    {% if level == 'school' %}
    u.school_level,
    u.area,
    u.commune_code,
    u.commune_name,
    {% endif %}
    {% if level in ('school', 'commune') %}
    u.district_code,
    u.district_name,
    {% endif %}
    {% if level != 'province' %}
    u.province_code,
    u.province_name,
    {% endif %}
    a.province_code_2025,
    a.indicator_code,
    i.name_vi as indicator_name,
    i.level as indicator_level,
    a.segment,
    a.numerator,
    a.denominator,
    a.actual_value,
    a.projected_value,
    a.projection_method,
    i.unit,
    i.direction,
    a.comparator,
    cast(a.target_value as double) as target_value,
    cast(a.target_count as double) as target_count,
    cast(a.target_base as double) as target_base,
    a.gap,
    a.gap_count,
    a.status,
    {{ status_label('a.status') }} as status_label,
    a.decision_no,
    a.issued_on,
    a.target_source,
    a.target_kind,
    a.horizon_year,
    a.is_final,
    a.target_file_hash,
    a.target_source_row,
    a.reporting_schools,
    {% if level == 'school' %}
    sub.file_hash as report_file_hash,
    {% endif %}
    p.sort_order as period_order
from achievement as a
join indicators as i using (indicator_code)
join periods as p using (period)
left join units as u
    on u.unit_code = a.unit_code
    {% if level == 'school' %}
    and u.school_year = a.school_year
    {% elif boundaries == '2025' %}
    and u.map = '2025'
    {% else %}
    and u.map = {{ map_of('a.school_year') }}
    {% endif %}
{% if level == 'school' %}
left join {{ ref('int_submissions_in_force') }} as sub
    on sub.school_code = a.unit_code and sub.school_year = a.school_year and sub.period = a.period
{% endif %}
{% endmacro %}
