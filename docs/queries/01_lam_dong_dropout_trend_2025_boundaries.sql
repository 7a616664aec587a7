-- 1. Tỷ lệ bỏ học THCS của tỉnh Lâm Đồng trong 5 năm, theo địa giới từ 01/7/2025
--    (gồm cả tỉnh Bình Thuận, Đắk Nông cũ): end-of-year counts, re-aggregated.
select
    school_year,
    sum(numerator) as dropouts,
    sum(denominator) as enrolled_at_start,
    100.0 * sum(numerator) / sum(denominator) as dropout_rate_pct
from marts.fct_target_achievement_province_2025
where unit_code = '68'                 -- tỉnh Lâm Đồng (2025)
  and indicator_code = 'thcs_dropout'
  and period = 'cuoi_nam'
  and segment = 'all'
  and school_year >= '2021-2022'
group by school_year
order by school_year;
