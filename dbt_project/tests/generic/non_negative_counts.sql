{# Counts summed from reports are never negative (GX refuses negative cells at the source). #}
{% test non_negative_counts(model) %}
select * from {{ model }} where numerator < 0 or denominator < 0
{% endtest %}
