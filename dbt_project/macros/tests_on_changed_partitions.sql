{#
  The data tests of a build that redid only some partitions look only at those rows.
  dbt wraps the model a generic test reads in `get_where_subquery`; this override adds
  the filter of `in_changed_partitions` for the models that `incremental_by_period`
  rebuilds in part (their `meta.partitioned_by`). Every other partition is exactly as the
  build that tested it left it, and every unique key of these models holds the school
  year, the period and a unit (which lies in one province), so no test can pass here that
  would fail on the whole table. A full build (--full-refresh), and any dbt run after a
  successful build (which empties raw.changed_partitions), tests every row.
#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- set partitioned_by = partitioned_by_of(relation) if execute else none -%}
    {%- set changed = partition_filter(
            changed_partition_keys(),
            province=('province_code_2025' if partitioned_by == 'province' else none)
        ) if partitioned_by and not flags.FULL_REFRESH else none -%}
    {%- if changed is not none and changed != 'false' -%}
        {%- set where = '(' ~ changed ~ ')' ~ (' and (' ~ where ~ ')' if where else '') -%}
    {%- endif -%}
    {%- if where -%}
        (select * from {{ relation }} where {{ where }}) dbt_subquery
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}

{# 'province' or 'period' for a model incremental_by_period rebuilds in part, else none. #}
{% macro partitioned_by_of(relation) -%}
    {%- for node in graph.nodes.values()
          if node.resource_type == 'model'
          and (node.alias or node.name) == relation.identifier
          and node.schema == relation.schema -%}
        {{ return(node.config.meta.get('partitioned_by')) }}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}
