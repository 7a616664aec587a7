{#
  The models that grow with history — every school's, commune's and unit's numbers and
  verdicts per school year and period — are rebuilt only for the partitions that changed.

  Before each build `chitieu` writes the changed partitions into raw.changed_partitions
  ('2024-2025|cuoi_nam|01': school year, period and the 2025 province; '' for units placed
  in no province, '*' for the whole period; ingest/transform/partitions.py decides them
  from the ledger; a table, not a --vars flag, so that dbt's partial parse stays valid from
  run to run). Each such model deletes the rows of those partitions (pre-hook) and inserts
  them again, computed by its unchanged SQL with the filter `in_changed_partitions()`
  added: row for row what a full build gives for them. A model partitioned by period only
  (`by_province=false`: its rows carry no province) redoes the whole period of each changed
  partition — more than needed, never less. With `--full-refresh` (a full build) the
  filter is `true` and everything is rebuilt; run dbt by hand with --full-refresh.

  on_schema_change='ignore' (here, in incremental_by_year and pivot_report_sheet): a run
  builds incrementally only when the dbt project is the one the last build used (its
  digest is part of the build state; any change forces --full-refresh), so a model's
  columns cannot have changed. 'fail' compared them anyway, with two more queries a model
  (measured: 0.2 s of a correction's 5 s build). After changing a model by hand, build
  with --full-refresh, as chitieu does.
#}
{% macro incremental_by_period(by_province=false) -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='ignore',
        pre_hook="{{ delete_changed_partitions(" ~ ("'province_code_2025'" if by_province else "none") ~ ") }}",
        meta={'partitioned_by': 'province' if by_province else 'period'},
    ) }}
{%- endmacro %}

{#
  The filter is written out as constants, read from raw.changed_partitions when the model
  runs (not when dbt parses it): DuckDB pushes a filter on constants below the joins,
  unions and aggregates to the scans, so a model reads only the partitions it rebuilds; a
  sub-query on the same table would be applied only at the end, after every period of
  history was computed (measured: 16 s instead of 6 s for int_indicator_counts with six
  periods loaded). ingest/transform/partitions.py:predicate writes the same condition for
  the publish.
#}
{% macro in_changed_partitions(year='school_year', period='period', province=none) -%}
    {%- if is_incremental() and execute -%}
        {{ partition_filter(changed_partition_keys(), year, period, province) }}
    {%- elif is_incremental() -%}
        false
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{# The condition on `year`, `period` (and `province`) that selects the partitions `keys`. #}
{% macro partition_filter(keys, year='school_year', period='period', province=none) -%}
    {%- set by_period = {} -%}
    {%- for key in keys -%}
        {%- set parts = key.split('|') -%}
        {%- set period_key = parts[0] ~ '|' ~ parts[1] -%}
        {%- if period_key not in by_period %}{% do by_period.update({period_key: []}) %}{% endif -%}
        {%- do by_period[period_key].append(parts[2]) -%}
    {%- endfor -%}
    {%- if by_period | length == 0 -%}
        false
    {%- else -%}
        (
        {%- for period_key in by_period | sort %}
            {%- set year_value, period_value = period_key.split('|') %}
            {%- set provinces = by_period[period_key] %}
            {{ 'or ' if not loop.first }}({{ year }} = '{{ year_value }}' and {{ period }} = '{{ period_value }}'
            {%- if province is not none and '*' not in provinces %}
                {%- set named = provinces | reject('equalto', '') | sort %}
                and (
                {%- if named | length > 0 %}{{ province }} in ({% for p in named %}'{{ p }}'{{ ', ' if not loop.last }}{% endfor %}){% endif %}
                {%- if '' in provinces %}{{ ' or ' if named | length > 0 }}{{ province }} is null{% endif -%}
                )
            {%- endif -%}
            )
        {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}

{#
  The school years a model reads history from: the `years` school years before each changed
  partition's (int_indicator_change_to_year_end: up to three earlier years), as constants;
  with `periods`, only for the changed partitions of those periods (none: `false`, and the
  model reads no history at all). ingest/transform/partitions.py rebuilds the later years'
  interim periods in turn.
#}
{% macro in_years_before_changed_partitions(years, year='school_year', periods=none) -%}
    {%- if is_incremental() and execute -%}
        {%- set keys = changed_partition_keys() -%}
        {%- set wanted = [] -%}
        {%- for key in keys if periods is none or key.split('|')[1] in periods -%}
            {%- set start = key.split('|')[0][:4] | int -%}
            {%- for back in range(1, years + 1) -%}
                {%- set earlier = (start - back) ~ '-' ~ (start - back + 1) -%}
                {%- if earlier not in wanted %}{% do wanted.append(earlier) %}{% endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if wanted | length == 0 -%}
            false
        {%- else -%}
            {{ year }} in ({% for y in wanted | sort %}'{{ y }}'{{ ', ' if not loop.last }}{% endfor %})
        {%- endif -%}
    {%- elif is_incremental() -%}
        false
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#
  Whether `province` is one of the changed partitions' provinces, whatever their school year
  and period (a whole-period partition: every province), as constants; for the history a
  model partitioned by province reads from earlier years.
#}
{% macro in_changed_provinces(province='province_code_2025') -%}
    {%- if is_incremental() and execute -%}
        {%- set provinces = [] -%}
        {%- for key in changed_partition_keys() -%}
            {%- set key_province = key.split('|')[2] -%}
            {%- if key_province not in provinces %}{% do provinces.append(key_province) %}{% endif -%}
        {%- endfor -%}
        {%- set named = provinces | reject('equalto', '') | reject('equalto', '*') | sort -%}
        {%- if '*' in provinces -%}
            true
        {%- elif provinces | length == 0 -%}
            false
        {%- else -%}
            (
            {%- if named | length > 0 %}{{ province }} in ({% for p in named %}'{{ p }}'{{ ', ' if not loop.last }}{% endfor %}){% endif %}
            {%- if '' in provinces %}{{ ' or ' if named | length > 0 }}{{ province }} is null{% endif -%}
            )
        {%- endif -%}
    {%- elif is_incremental() -%}
        false
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro delete_changed_partitions(province=none) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ in_changed_partitions(province=province) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#
  '<school year>|<period>|<province>' of every partition this build redoes, read when the
  first node asks: the models and tests ask 84 times in a correction's build, and each query
  costs dbt 4–8 ms of its own Python, which its threads share. The keys are kept in `graph`
  (the manifest's dict, one object for every node of an invocation) under this
  invocation's id: another invocation reads the table afresh, and the table does not
  change during one (chitieu writes it before a build and empties it after).
#}
{% macro changed_partition_keys() -%}
    {%- set kept = graph.get('chitieu_changed_partitions') -%}
    {%- if kept is none or kept['invocation'] != invocation_id -%}
        {%- set kept = {
            'invocation': invocation_id,
            'keys': run_query(
                "select partition_key from " ~ source('raw', 'changed_partitions') ~ " order by 1"
            ).columns[0].values(),
        } -%}
        {%- do graph.update({'chitieu_changed_partitions': kept}) -%}
    {%- endif -%}
    {{ return(kept['keys']) }}
{%- endmacro %}

{#
  The models by school year (int_schools_by_year, int_targets_by_year) depend on the reports
  only through which school years exist. A school year appears with its first reports, and
  its periods are then new: the planner marks them whole ('<year>|<period>|*'). So an
  incremental build redoes the school years of the whole-period partitions only, deleting
  and re-inserting them like incremental_by_period (a correction in a known year changes
  none of their rows); a full build, everything.
#}
{% macro incremental_by_year(year='school_year') -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='ignore',
        pre_hook="{{ delete_changed_years('" ~ year ~ "') }}",
    ) }}
{%- endmacro %}

{% macro in_changed_years(year='school_year') -%}
    {%- if is_incremental() and execute -%}
        {%- set years = [] -%}
        {%- for key in changed_partition_keys() if key.split('|')[2] == '*' -%}
            {%- set key_year = key.split('|')[0] -%}
            {%- if key_year not in years %}{% do years.append(key_year) %}{% endif -%}
        {%- endfor -%}
        {%- if years | length == 0 -%}
            false
        {%- else -%}
            {{ year }} in ({% for y in years | sort %}'{{ y }}'{{ ', ' if not loop.last }}{% endfor %})
        {%- endif -%}
    {%- elif is_incremental() -%}
        false
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro delete_changed_years(year) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ in_changed_years(year) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#
  on-run-end: what the run wrote for this build (the partitions it redoes, the first new
  load sequence) is emptied once the build ends, so that dbt run by hand afterwards
  redoes no partition and tests every row. Emptied here rather than by chitieu after dbt
  returns: that reopened the warehouse (a national file with six periods: 0.3 s to open
  and close). A failed build leaves nothing to keep either: the next run works out again
  what to redo (transform/partitions.py).
#}
{% macro clear_build_scope() -%}
    {#- raw's tables are there in every warehouse chitieu made (ingest/load/raw_schema.py) -#}
    delete from raw.changed_partitions;
    delete from raw.build_scope;
{%- endmacro %}
