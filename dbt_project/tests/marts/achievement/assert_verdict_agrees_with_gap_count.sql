-- A target met needs no more people (gap_count zero or a margin below it); a target not met
-- needs at least one. Returns the rows of any achievement mart where the two disagree
-- (in the partitions the build redid: macros/tests_on_changed_partitions.sql).
{% for level in ['school', 'commune', 'district', 'province'] %}
    select
        '{{ level }}' as unit_level,
        unit_code,
        school_year,
        period,
        indicator_code,
        segment,
        status,
        gap_count
    from {{ ref('fct_target_achievement_' ~ level) }}
    where
        {{ in_tested_partitions(province='province_code_2025') }}
        and ((status = 'met' and gap_count > 0) or (status = 'not_met' and gap_count <= 0))
    {% if not loop.last %}union all{% endif %}
{% endfor %}
