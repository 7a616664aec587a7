-- Danh mục chỉ tiêu: every indicator with its Vietnamese name, unit, direction and formula.
select
    indicator_code,
    name_vi as indicator_name,
    level as indicator_level,
    family,
    unit,
    direction,
    base,
    numerator_vi,
    denominator_vi,
    target_inheritable,
    computed
from {{ ref('indicators') }}
