-- A commune code lies in one 2025 province on both maps. The commune counts are rebuilt by
-- 2025 province (int_commune_indicator_counts), and the transition to grade 6 divides by
-- last year's grade-5 completers of the same commune code, across the 2025 reform too: a
-- code that moved to another province would make a rebuild by province miss them.
-- vietnamadminunits 1.0.4: 3,316 codes are on both maps, none moved.
select
    u.commune_code,
    count(distinct case when u.map = '2025' then u.province_code else x.province_code_2025 end)
        as provinces_2025
from {{ ref('int_communes_by_map') }} as u
left join {{ ref('stg_admin__province_crosswalk') }} as x
    on u.map = 'legacy' and u.province_code = x.legacy_province_code
group by u.commune_code
having provinces_2025 > 1
