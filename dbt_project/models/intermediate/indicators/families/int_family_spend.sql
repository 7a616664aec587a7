-- Spending on teaching / recurrent spending.
{% set indicator_codes = ['teaching_spend_share'] %}
select
    s.school_code,
    s.school_year,
    s.period,
    s.province_code_2025,
    'teaching_spend_share' as indicator_code,
    st.teaching_spend as numerator,
    st.recurrent_spend as denominator
from {{ ref('stg_reports__school_status') }} as st
inner join {{ ref('int_submissions_in_force') }} as s using (file_hash)
where st.recurrent_spend is not null
