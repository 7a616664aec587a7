{# The columns together identify a row: no two rows share their values. #}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as rows_
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
