{# The column identifies a row: never null, never twice (dbt's not_null and unique, in
   one node and one scan). #}
{% test primary_key(model, column_name) %}
select {{ column_name }}, count(*) as rows_
from {{ model }}
group by {{ column_name }}
having {{ column_name }} is null or count(*) > 1
{% endtest %}
