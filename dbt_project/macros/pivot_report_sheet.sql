{#
  One row per submission and record of a report sheet, one column per template field,
  from the long cells of raw.report_cells. The fields are template v1's
  (macros/contract/report_sheet_fields.sql, written from ingest/contract/template.py). Numbers come from value_number, the rest
  from value_text. `source_row` is the Excel row of the record (lineage).
#}
{% macro pivot_report_sheet(sheet_kind) %}
{%- set fields = report_sheet_fields(sheet_kind) -%}
{%- set text_fields, number_fields = fields['text'], fields['number'] -%}
select
    cells.file_hash,
    cells.record_no,
    min(cells."row") as source_row,
    {%- for field in text_fields %}
    max(case when cells.field = '{{ field }}' then cells.value_text end) as "{{ field }}",
    {%- endfor %}
    {%- for field in number_fields %}
    max(case when cells.field = '{{ field }}' then cells.value_number end) as "{{ field }}"{{ "," if not loop.last }}
    {%- endfor %}
from {{ source('raw', 'report_cells') }} as cells
where cells.sheet_kind = '{{ sheet_kind }}'
group by cells.file_hash, cells.record_no
{% endmacro %}
