{#
  The order in which files arrived: by their time in the landing folder (received_at),
  ties broken by their hash. "A later file wins" always means later in this order, never
  when a run happened to load it, so the marts are the same whether files came in one run
  or in many. The reports' models order by the pair itself: reports are nearly every file
  of the ledger, and numbering them (stg_ledger__arrivals.arrival_seq) sorted every report
  ever received in each model that read them (with six periods loaded, 257,000 files:
  0.04 s a model), to rank the one to three files of a school's period.
  `direction='desc'` puts the latest first; both directions order a missing time as the
  ascending order does, after every time.
#}
{% macro arrival_order(alias=none, direction='asc') -%}
    {%- set p = (alias ~ '.') if alias else '' -%}
    {%- if direction == 'desc' -%}
        {{ p }}received_at desc nulls first, {{ p }}file_hash desc
    {%- else -%}
        {{ p }}received_at asc nulls last, {{ p }}file_hash asc
    {%- endif -%}
{%- endmacro %}
