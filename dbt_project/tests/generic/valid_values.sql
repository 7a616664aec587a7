{#
  The row rules of a model in one scan, and in one dbt node: dbt spends ≈ 30 ms on each
  node whatever it reads, so a mart with thirteen column tests paid for thirteen nodes.
    not_null         columns that must hold a value;
    accepted_values  {column: [values]}: values outside the list (nulls pass, as in dbt's
                     accepted_values);
    non_negative     counts that cannot be below zero;
    key              columns that say which row it is (shown, not checked).
  Each failing row comes back with `broken_rules`, naming every rule it breaks in dbt's
  words («accepted_values: period = 'ca_nam'»), its key and the columns the rules read.
#}
{% test valid_values(model, not_null=[], accepted_values={}, non_negative=[], key=[]) %}
{%- set rules = [] -%}
{%- set shown = key | list -%}
{%- for column in not_null -%}
    {%- do rules.append("case when " ~ column ~ " is null then 'not_null: " ~ column ~ "' end") -%}
    {%- do shown.append(column) if column not in shown -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
    {%- set listed = [] -%}
    {%- for value in values -%}
        {%- do listed.append("'" ~ (value | string | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {%- do rules.append(
        "case when cast(" ~ column ~ " as varchar) not in (" ~ listed | join(", ") ~ ") "
        ~ "then 'accepted_values: " ~ column ~ " = ''' || cast(" ~ column ~ " as varchar) || '''' end"
    ) -%}
    {%- do shown.append(column) if column not in shown -%}
{%- endfor -%}
{%- for column in non_negative -%}
    {%- do rules.append("case when " ~ column ~ " < 0 then 'non_negative: " ~ column ~ " < 0' end") -%}
    {%- do shown.append(column) if column not in shown -%}
{%- endfor -%}
select *
from (
    select
        concat_ws('; ', {{ rules | join(', ') }}) as broken_rules,
        {{ shown | join(', ') }}
    from {{ model }}
) as checked
where broken_rules != ''
{% endtest %}
