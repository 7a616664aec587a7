{#
  The models that grow with history — every school's, commune's and unit's numbers and
  verdicts per school year and period — are rebuilt only for the periods that changed.

  Before each build `chitieu` writes the changed periods ('2024-2025|cuoi_nam', …) into
  raw.changed_partitions (ingest/transform/partitions.py decides them from the ledger; a
  table, not a --vars flag, so that dbt's partial parse stays valid from run to run). Each
  such model deletes the rows of those periods (pre-hook) and inserts them again, computed
  by its unchanged SQL with the filter `in_changed_partitions()` added: row for row what a
  full build gives for those periods. With `--full-refresh` (a full build) the filter is
  `true` and every period is rebuilt; run dbt by hand with --full-refresh.
#}
{% macro incremental_by_period() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_partitions() }}",
    ) }}
{%- endmacro %}

{% macro in_changed_partitions(year='school_year', period='period') -%}
    {%- if is_incremental() -%}
        ({{ year }} || '|' || {{ period }})
        in (select c.partition_key from {{ source('raw', 'changed_partitions') }} as c)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro delete_changed_partitions() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ in_changed_partitions() }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
