{#
  The data tests of a build that redid only some partitions look only at those rows.
  dbt wraps the model a generic test reads in `get_where_subquery`; this override adds
  the filter of `in_changed_partitions` for the models that `incremental_by_period`
  rebuilds in part (their `meta.partitioned_by`). Every other partition is exactly as the
  build that tested it left it, and every unique key of these models holds the school
  year, the period and a unit (which lies in one province), so no test can pass here that
  would fail on the whole table. The tables that grow by file are tested on the new
  files only (new_files_filter below). A full build (--full-refresh), and any dbt run after
  a successful build (which empties raw.changed_partitions and raw.build_scope), tests
  every row.
#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- set meta = model_meta_of(relation) if execute else {} -%}
    {%- set partitioned_by = meta.get('partitioned_by') -%}
    {%- set changed = partition_filter(
            changed_partition_keys(),
            province=('province_code_2025' if partitioned_by == 'province' else none)
        ) if partitioned_by and not flags.FULL_REFRESH else none -%}
    {%- if meta.get('grows_by') == 'load_seq' and not flags.FULL_REFRESH -%}
        {%- set changed = new_files_filter() -%}
    {%- endif -%}
    {%- if changed is not none and changed != 'false' -%}
        {%- set where = '(' ~ changed ~ ')' ~ (' and (' ~ where ~ ')' if where else '') -%}
    {%- endif -%}
    {%- if where -%}
        (select * from {{ relation }} where {{ where }}) dbt_subquery
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}

{# The meta of the model `relation` is (partitioned_by: 'province' or 'period' for a model
   incremental_by_period rebuilds in part; grows_by: 'load_seq' for a table that grows by
   file), or {} for a source. #}
{% macro model_meta_of(relation) -%}
    {%- for node in graph.nodes.values()
          if node.resource_type == 'model'
          and (node.alias or node.name) == relation.identifier
          and node.schema == relation.schema -%}
        {{ return(node.config.meta) }}
    {%- endfor -%}
    {{ return({}) }}
{%- endmacro %}

{#
  A table that grows by file (pivot_report_sheet) only ever receives the rows of files new
  since the last build, each file's rows under its own `load_seq`: its tests look at the
  files from raw.build_scope's first new load sequence on (a key holding file_hash is
  whole within them), or at every row when the table is empty (a full build, or a dbt run
  by hand after a successful build). A constant, so DuckDB skips the row groups before it.
#}
{% macro new_files_filter() -%}
    {%- set first = run_query(
            "select min(first_new_load_seq) from " ~ source('raw', 'build_scope')
        ).columns[0].values()[0] -%}
    {{ return(none if first is none else 'load_seq >= ' ~ first) }}
{%- endmacro %}

{#
  The same for a singular test (tests/): its condition on a mart built by partition, so
  that a build which redid some partitions tests only their rows — the test's cost follows
  what changed, not the years of history. `true` in a full build (--full-refresh) and in
  any dbt run after a successful build (raw.changed_partitions is then empty): every row.
#}
{% macro in_tested_partitions(year='school_year', period='period', province=none) -%}
    {%- set keys = changed_partition_keys() if execute and not flags.FULL_REFRESH else [] -%}
    {%- if keys | length == 0 -%}
        true
    {%- else -%}
        {{ partition_filter(keys, year, period, province) }}
    {%- endif -%}
{%- endmacro %}
