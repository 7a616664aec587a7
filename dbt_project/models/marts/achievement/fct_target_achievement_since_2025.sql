{{ incremental_by_period(by_province=true) }}
-- Chỉ tiêu từ năm học 2025-2026: schools, communes and provinces on the map in force since
-- 1 July 2025 — no district appears, as none exists. One row per unit, year, period,
-- indicator and segment; unit_level says which.
{% set reform = var('reform_school_year') %}
with schools as (
    select
        'school' as unit_level,
        unit_code,
        unit_name,
        commune_code,
        commune_name,
        province_code,
        province_name,
        * exclude (
            unit_code, unit_name, commune_code,
            commune_name, province_code, province_name, district_code, district_name,
            school_level, area, report_file_hash
        )
    from {{ ref('fct_target_achievement_school') }}
    where school_year >= '{{ reform }}' and {{ in_changed_partitions(province='province_code_2025') }}
),

communes as (
    select
        'commune' as unit_level,
        unit_code as commune_code,
        unit_name as commune_name,
        *
        exclude (district_code, district_name)
    from {{ ref('fct_target_achievement_commune') }}
    where school_year >= '{{ reform }}' and {{ in_changed_partitions(province='province_code_2025') }}
),

provinces as (
    select
        'province' as unit_level,
        unit_code as province_code,
        unit_name as province_name,
        *
    from {{ ref('fct_target_achievement_province') }}
    where school_year >= '{{ reform }}' and {{ in_changed_partitions(province='province_code_2025') }}
)

select * from schools
union all by name
select * from communes
union all by name
select * from provinces
