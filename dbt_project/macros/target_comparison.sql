{#
  Whether an actual meets a target, compared exactly in decimals:
  numerator * scale  <op>  target * denominator   (percent: scale 100; ratio: 1; count: no denominator)
  so that 998 of 1,000 meets ">= 99,8" and does not meet "> 99,8".
#}
{% macro meets_target(numerator, denominator, unit, comparator, target, tolerance) %}
(
    case
        when {{ comparator }} = '>=' then {{ _lhs(numerator, unit) }} >= {{ _rhs(target, denominator, unit) }}
        when {{ comparator }} = '>'  then {{ _lhs(numerator, unit) }} >  {{ _rhs(target, denominator, unit) }}
        when {{ comparator }} = '<=' then {{ _lhs(numerator, unit) }} <= {{ _rhs(target, denominator, unit) }}
        when {{ comparator }} = '<'  then {{ _lhs(numerator, unit) }} <  {{ _rhs(target, denominator, unit) }}
        when {{ comparator }} = '='  then {{ _lhs(numerator, unit) }} =  {{ _rhs(target, denominator, unit) }}
        when {{ comparator }} = '~'  then abs({{ _lhs(numerator, unit) }} - {{ _rhs(target, denominator, unit) }})
                                          <= {{ _rhs(tolerance, denominator, unit) }}
    end
)
{% endmacro %}

{% macro _lhs(numerator, unit) -%}
    (cast({{ numerator }} as decimal(38, 6)) * case when {{ unit }} = 'percent' then 100 else 1 end)
{%- endmacro %}

{% macro _rhs(value, denominator, unit) -%}
    (cast({{ value }} as decimal(38, 6)) * case when {{ unit }} = 'count' then 1 else cast({{ denominator }} as decimal(38, 6)) end)
{%- endmacro %}

{# The value of a rate in its unit: percent 0-100, ratio, or a plain count. #}
{% macro indicator_value(numerator, denominator, unit) %}
(
    case
        when {{ unit }} = 'count' then cast({{ numerator }} as double)
        when {{ denominator }} is null or {{ denominator }} = 0 then null
        when {{ unit }} = 'percent' then 100.0 * {{ numerator }} / {{ denominator }}
        else 1.0 * {{ numerator }} / {{ denominator }}
    end
)
{% endmacro %}
