-- A district's numerator and denominator of a school-based indicator are the sums of its
-- schools' (pooled, never an average of rates). Returns the districts where they are not.
-- Amounts (spending, in million dong) are fractional: sums in another order differ in the
-- last bits, so they are compared to a relative 1e-9. Only the districts of the partitions the
-- build redid are checked (macros/tests_on_changed_partitions.sql), against every school of
-- their period: a school is never left out because of the province it is placed in.
with districts as (
    select d.*
    from {{ ref('fct_target_achievement_district') }} as d
    where {{ in_tested_partitions(province='province_code_2025') }}
),

schools as (
    select
        s.district_code,
        s.school_year,
        s.period,
        s.indicator_code,
        sum(s.numerator) as numerator,
        sum(s.denominator) as denominator
    from {{ ref('fct_target_achievement_school') }} as s
    inner join {{ ref('indicators') }} as i using (indicator_code)
    where
        i.base = 'school' and s.segment = 'all'
        and {{ in_tested_partitions('s.school_year', 's.period') }}
        and s.district_code in (select unit_code from districts)
    group by all
)

select
    d.unit_code,
    d.school_year,
    d.period,
    d.indicator_code,
    d.numerator,
    s.numerator as schools_numerator,
    d.denominator,
    s.denominator as schools_denominator
from districts as d
inner join {{ ref('indicators') }} as i using (indicator_code)
left join schools as s
    on
        d.unit_code = s.district_code
        and d.school_year = s.school_year
        and d.period = s.period
        and d.indicator_code = s.indicator_code
where
    i.base = 'school'
    and d.segment = 'all'
    and d.numerator is not null
    and (
        s.numerator is null
        or (s.denominator is null) != (d.denominator is null)
        or abs(s.numerator - d.numerator) > 1e-9 * greatest(1, abs(d.numerator))
        or abs(s.denominator - d.denominator) > 1e-9 * greatest(1, abs(d.denominator))
    )
