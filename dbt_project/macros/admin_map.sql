{# Which administrative map a school year's reports use: 'legacy' (63 provinces, districts)
   before the reform, '2025' (34 provinces, communes only) from reform_school_year on. #}
{% macro map_of(school_year) -%}
    (case when {{ school_year }} >= '{{ var("reform_school_year") }}' then '2025' else 'legacy' end)
{%- endmacro %}
