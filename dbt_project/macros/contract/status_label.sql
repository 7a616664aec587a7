{#- Written by `python -m ingest.contract.export` from ingest/contract/: do not edit. -#}
{# Status labels and colours (ingest/contract/calendar.py STATUSES). #}
{% macro status_label(status) -%}
    case {{ status }}
        when 'met' then 'Đạt'
        when 'not_met' then 'Chưa đạt'
        when 'on_track' then 'Đúng tiến độ'
        when 'at_risk' then 'Có nguy cơ không đạt'
        when 'no_data' then 'Chưa có số liệu'
        else 'Chưa giao chỉ tiêu'
    end
{%- endmacro %}

{% macro status_colour(status) -%}
    case {{ status }}
        when 'met' then '#2e7d32'
        when 'not_met' then '#c62828'
        when 'on_track' then '#66bb6a'
        when 'at_risk' then '#ef6c00'
        when 'no_data' then '#9e9e9e'
        else '#9e9e9e'
    end
{%- endmacro %}
