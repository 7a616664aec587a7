{#
  The catalogue rows (seeds/indicators.csv) of the indicators one family model computes,
  with `grade_list`: the grades, groups or contest levels each one counts. A family model
  names its indicator codes, so `grep <code>` finds where the indicator is computed;
  tests/test_contract.py checks the names against the catalogue.
#}
{% macro family_indicators(indicator_codes) %}
    select
        *,
        string_split(coalesce(grades, ''), '|') as grade_list
    from {{ ref('indicators') }}
    where indicator_code in (
        {%- for code in indicator_codes %}'{{ code }}'{{ ", " if not loop.last }}{% endfor -%}
    )
{% endmacro %}
