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

{#
  The gap in people: the smallest whole change of the numerator that meets the target with
  the unit's own denominator, strict and non-strict comparators respected (> 96,4 % of 500
  pupils needs 483, not 482). Positive: the numerator must move by that many in the
  indicator's good direction (more children enrolled, fewer dropouts, more schools);
  0: met exactly at the boundary; negative: met with that many to spare. An N/M target is
  taken as N of M exactly. Null without a target or a denominator, and for an "=" target
  that no whole number can meet.
#}
{% macro gap_count(numerator, denominator, unit, comparator, target, tolerance, target_count, target_base) %}
{%- set n = 'cast(' ~ numerator ~ ' as decimal(38, 6))' -%}
{%- set bound -%}
(
    case
        when {{ unit }} = 'count' then cast({{ target }} as decimal(38, 6))
        when {{ denominator }} is null or {{ denominator }} = 0 then null
        when {{ target_count }} is not null and {{ target_base }} is not null and {{ target_base }} != 0
            then cast({{ target_count }} as decimal(38, 6)) * cast({{ denominator }} as decimal(38, 6))
                 / cast({{ target_base }} as decimal(38, 6))
        else cast({{ target }} as decimal(38, 6)) * cast({{ denominator }} as decimal(38, 6))
             / case when {{ unit }} = 'percent' then 100 else 1 end
    end
)
{%- endset -%}
{%- set slack -%}
(
    cast({{ tolerance }} as decimal(38, 6))
    * case when {{ unit }} = 'count' then 1 else cast({{ denominator }} as decimal(38, 6)) end
    / case when {{ unit }} = 'percent' then 100 else 1 end
)
{%- endset -%}
cast(
    case
        when {{ numerator }} is null then null
        when {{ comparator }} = '>=' then ceil({{ bound }}) - {{ n }}
        when {{ comparator }} = '>' then floor({{ bound }}) + 1 - {{ n }}
        when {{ comparator }} = '<=' then {{ n }} - floor({{ bound }})
        when {{ comparator }} = '<' then {{ n }} - (ceil({{ bound }}) - 1)
        when {{ comparator }} = '=' then
            case when {{ bound }} = floor({{ bound }}) then abs({{ n }} - {{ bound }}) end
        when {{ comparator }} = '~' then
            case
                when {{ n }} < ceil({{ bound }} - {{ slack }}) then ceil({{ bound }} - {{ slack }}) - {{ n }}
                when {{ n }} > floor({{ bound }} + {{ slack }}) then {{ n }} - floor({{ bound }} + {{ slack }})
                else -least({{ n }} - ceil({{ bound }} - {{ slack }}), floor({{ bound }} + {{ slack }}) - {{ n }})
            end
    end
    as bigint
)
{% endmacro %}
