{#
  One row per submission and record of a report sheet, one column per template field,
  from the long cells of raw.report_cells. The fields are template v1's
  (macros/contract/report_sheet_fields.sql, written from ingest/contract/template.py). Numbers come from value_number, the rest
  from value_text. `source_row` is the Excel row of the record (lineage).

  A table that grows by file: raw.report_cells only ever receives new files (a file is its
  content's hash), each with the next `load_seq` of the ledger, so a build pivots the cells
  loaded after the last file pivoted and appends them — the cost of what arrived, not of
  every period on record. The bound is a constant read when the model runs: DuckDB then
  skips, by their min/max, the row groups of the cells loaded before (the files loaded in
  between without a sheet of this kind add nothing, however often they are read again).
  A full build (--full-refresh) pivots every file again.
#}
{% macro pivot_report_sheet(sheet_kind) %}
{{ config(
    materialized='incremental', incremental_strategy='append', on_schema_change='ignore',
    meta={'grows_by': 'load_seq'},
) }}
{%- set fields = report_sheet_fields(sheet_kind) -%}
{%- set text_fields, number_fields = fields['text'], fields['number'] -%}
{%- set after_seq = -1 -%}
{%- if is_incremental() and execute -%}
    {%- set after_seq = run_query('select coalesce(max(load_seq), -1) from ' ~ this).columns[0].values()[0] -%}
{%- endif %}
select
    cells.file_hash,
    cells.load_seq,
    cells.record_no,
    min(cells."row") as source_row,
    {%- for field in text_fields %}
    max(case when cells.field = '{{ field }}' then cells.value_text end) as "{{ field }}",
    {%- endfor %}
    {%- for field in number_fields %}
    max(case when cells.field = '{{ field }}' then cells.value_number end) as "{{ field }}"{{ "," if not loop.last }}
    {%- endfor %}
from {{ source('raw', 'report_cells') }} as cells
where
    cells.sheet_kind = '{{ sheet_kind }}'
    {% if is_incremental() %}
    and cells.load_seq > {{ after_seq }}
    {% endif %}
group by cells.file_hash, cells.load_seq, cells.record_no
{% endmacro %}
