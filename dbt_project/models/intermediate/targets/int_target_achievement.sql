{{ incremental_by_period(by_province=true) }}
-- Actual against target for every unit, period, indicator and segment, at every level.
--
-- Which target applies: the unit's own (same level, code, year, segment); for a school
-- without one, the target of its commune, district or province — for the school's area
-- segment if one is set, else for all — when the indicator is inheritable (rates are,
-- counts of schools are not). Status (docs/targets.md):
--   no_target  no target applies;
--   no_data    a target applies but there is no actual (nothing reported, or a zero base);
--   met / not_met      the verdict: end of year (cuoi_nam) of the target's school year —
--                      for a horizon target, of the school year ending in the horizon year;
--   on_track / at_risk earlier readings (start and middle of the year, earlier years of a
--                      horizon): whether the value projected to the end of the year
--                      (projected_value) satisfies the target — for a start- or mid-year
--                      reading, by the catalogue's method (`projection`):
--                        own_history   from the unit's previous (up to three) years
--                                      (int_indicator_change_to_year_end): a rate plus its
--                                      mean change from this period to the end of the
--                                      year; a count that accumulates (dropouts) times
--                                      1 + R, R = what came after the reading / what came
--                                      before it in those years, with the catalogue's
--                                      factor as a prior worth `prior_weight` counts —
--                                      so that two dropouts in a small school do not
--                                      decide its ratio;
--                        year_to_date  no such year yet: the reading times the catalogue's
--                                      mid_year_projection (mid-year dropouts: doubled);
--                        census        enrolment: the children enrolled now against the
--                                      year's census (the reading);
--                        as_reported   any other indicator: the reading.
-- Comparisons are exact, in decimals (macros/target_comparison.sql).
{% set prior_weight = 10 %}  -- the catalogue's factor counts as 10 earlier dropouts' worth
-- an incremental build reads the changed periods (whole: which periods exist and which
-- units were counted decide the target-only rows) and computes the changed provinces
with period_counts as (
    select * from {{ ref('int_indicator_counts') }}
    where {{ in_changed_partitions() }}
),

counts as (
    select * from period_counts
    where {{ in_changed_partitions(province='province_code_2025') }}
),

targets as (
    select * from {{ ref('int_targets_by_year') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

change_to_year_end as (
    select * from {{ ref('int_indicator_change_to_year_end') }}
),

schools as (
    select * from {{ ref('int_schools_by_year') }}
),

-- the counted rows of the changed periods that some target names: the anti join below
-- then builds on a few thousand rows, not on the period's million (0.9 s at national scale)
targeted_counts as (
    select
        c.boundaries,
        c.unit_level,
        c.unit_code,
        c.school_year,
        c.period,
        c.indicator_code,
        c.segment
    from period_counts as c
    semi join targets as t
        on
            c.unit_level = t.assignee_level and c.unit_code = t.assignee_code
            and c.school_year = t.applies_to_year and c.indicator_code = t.indicator_code
            and c.segment = t.segment
),

periods_of_year as (
    select distinct
        school_year,
        period
    from period_counts
),

-- the 2025 province of every commune, district and province of both maps: the partition a
-- target-only row belongs to, as int_indicator_counts places the same unit
unit_provinces as (
    {% for level in ['commune', 'district', 'province'] %}
        select distinct
            u.map,
            '{{ level }}' as unit_level,
            u.{{ level }}_code as unit_code,
            case when u.map = '2025' then u.province_code else x.province_code_2025 end
                as province_code_2025
        from {{ ref('int_communes_by_map') }} as u
        left join {{ ref('stg_admin__province_crosswalk') }} as x
            on u.map = 'legacy' and u.province_code = x.legacy_province_code
        where u.{{ level }}_code is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- a unit with its own target but nothing counted still gets a row (no_data)
target_only as (
    select
        b.boundaries,
        t.assignee_level as unit_level,
        t.assignee_code as unit_code,
        t.applies_to_year as school_year,
        p.period,
        t.indicator_code,
        t.segment,
        null::double as numerator,
        null::double as denominator,
        null::bigint as reporting_schools,
        case
            when b.boundaries = '2025' then t.assignee_code
            when t.assignee_level = 'school' then ts.province_code_2025
            else tu.province_code_2025
        end as province_code_2025
    from targets as t
    inner join indicators as i using (indicator_code)
    inner join periods_of_year as p
        on
            t.applies_to_year = p.school_year
            and list_contains(string_split(i.periods, '|'), p.period)
    inner join (values ('reported'), ('2025')) as b (boundaries)
        on
            b.boundaries = 'reported'
            or (t.assignee_level = 'province' and {{ map_of('t.applies_to_year') }} = '2025')
    left join schools as ts  -- equalities only: a condition on `t` alone makes a nested loop
        on
            ts.school_code = case when t.assignee_level = 'school' then t.assignee_code end
            and t.applies_to_year = ts.school_year
    left join unit_provinces as tu
        on
            t.assignee_level = tu.unit_level and t.assignee_code = tu.unit_code
            and {{ map_of('t.applies_to_year') }} = tu.map
    anti join targeted_counts as c
        on
            b.boundaries = c.boundaries
            and t.assignee_level = c.unit_level and t.assignee_code = c.unit_code
            and t.applies_to_year = c.school_year and p.period = c.period
            and t.indicator_code = c.indicator_code and t.segment = c.segment
),

counted_or_targeted as (
    select * from counts
    union all by name
    select * from target_only
),

target_columns as (
    select
        assignee_level,
        assignee_code,
        applies_to_year as school_year,
        indicator_code,
        segment,
        decision_no,
        issued_on,
        issuer_code,
        comparator,
        target_value,
        target_count,
        target_base,
        tolerance,
        decisions_on_record,
        target_kind,
        horizon_year,
        final_school_year,
        file_hash as target_file_hash,
        source_row as target_source_row
    from targets
),

own as (
    -- on 2025 boundaries, a province's own targets are those set since the reform
    select
        r.boundaries,
        r.unit_level,
        r.unit_code,
        r.school_year,
        r.period,
        r.indicator_code,
        r.segment,
        'own'
            as target_source,
        t.* exclude (
            assignee_level, assignee_code, school_year,
            indicator_code, segment
        )
    from counted_or_targeted as r
    inner join target_columns as t
        on
            r.unit_level = t.assignee_level and r.unit_code = t.assignee_code
            and r.school_year = t.school_year and r.indicator_code = t.indicator_code
            and r.segment = t.segment
            and (r.boundaries = 'reported' or {{ map_of('r.school_year') }} = '2025')
),

school_rows as (
    select
        r.boundaries,
        r.unit_level,
        r.unit_code,
        r.school_year,
        r.period,
        r.indicator_code,
        r.segment,
        s.area,
        s.commune_code,
        s.district_code,
        s.province_code
    from counted_or_targeted as r
    inner join schools as s
        on
            r.unit_level = 'school' and r.unit_code = s.school_code
            and r.school_year = s.school_year
    inner join indicators as i on r.indicator_code = i.indicator_code and i.target_inheritable
    anti join own as o
        on
            r.boundaries = o.boundaries
            and r.unit_level = o.unit_level and r.unit_code = o.unit_code
            and r.school_year = o.school_year and r.period = o.period
            and r.indicator_code = o.indicator_code and r.segment = o.segment
),

ancestor_targets as (  -- the targets of each school's commune, district and province
    {% for level in ['commune', 'district', 'province'] %}
        select
            r.*,
            t.* exclude (assignee_level, assignee_code, school_year, indicator_code, segment),
            '{{ level }}' as assignee_level,
            t.segment as target_segment,
            {{ loop.index }} as nearness
        from school_rows as r
        inner join target_columns as t
            on
                t.assignee_level = '{{ level }}' and r.{{ level }}_code = t.assignee_code
                and r.school_year = t.school_year and r.indicator_code = t.indicator_code
        where t.segment in ('all', r.area)
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

inherited as (
    select
        boundaries,
        unit_level,
        unit_code,
        school_year,
        period,
        indicator_code,
        segment,
        'inherited:' || assignee_level as target_source,
        * exclude (
            boundaries, unit_level, unit_code, school_year, period, indicator_code,
            segment, area, commune_code, district_code, province_code, assignee_level,
            target_segment, nearness
        )
    from ancestor_targets
    qualify row_number() over (
        partition by
            boundaries, unit_level, unit_code, school_year, period, indicator_code,
            segment
        order by
            (target_segment = 'all'),  -- a target for the school's own area first
            nearness                   -- then the nearest unit: commune, district, province
    ) = 1
),

applied as (
    select * from own
    union all by name
    select * from inherited
),

joined as (
    select
        r.*,
        i.unit,
        i.direction,
        i.mid_year_projection,
        i.projection,
        h.mean_change,
        h.so_far_total,
        h.rest_total,
        a.* exclude (
            boundaries, unit_level, unit_code, school_year, period, indicator_code,
            segment
        )
    from counted_or_targeted as r
    inner join indicators as i using (indicator_code)
    left join applied as a
        on
            r.boundaries = a.boundaries
            and r.unit_level = a.unit_level and r.unit_code = a.unit_code
            and r.school_year = a.school_year and r.period = a.period
            and r.indicator_code = a.indicator_code and r.segment = a.segment
    left join change_to_year_end as h
        on
            r.boundaries = h.boundaries
            and r.unit_level = h.unit_level and r.unit_code = h.unit_code
            and r.school_year = h.school_year and r.period = h.period
            and r.indicator_code = h.indicator_code and r.segment = h.segment
),

final_or_not as (
    select
        j.*,
        j.period = 'cuoi_nam' and j.school_year = j.final_school_year as is_final,
        case
            when j.period not in ('dau_nam', 'giua_nam') or j.numerator is null then null
            when j.projection in ('own_history', 'accumulating') and j.mean_change is not null
                then 'own_history'
            when j.projection in ('own_history', 'accumulating') then 'year_to_date'
            when j.projection = 'census' then 'census'
            else 'as_reported'
        end as projection_method
    from joined as j
),

with_factor as (
    select
        *,
        -- the catalogue's factor from year-to-date counts to the whole year (dropouts: 2)
        case when period = 'giua_nam' then coalesce(mid_year_projection, 1) else 1 end as factor
    from final_or_not
),

projected as (
    select
        f.*,
        case
            when f.projection_method = 'own_history' and f.projection = 'accumulating'
                then f.numerator * (
                    1 + (f.rest_total + {{ prior_weight }} * (f.factor - 1))
                    / (f.so_far_total + {{ prior_weight }})
                )
            when f.projection_method = 'own_history'
                then greatest(
                    f.numerator
                    + f.mean_change * case when f.unit = 'count' then 1 else f.denominator end,
                    0
                )
            when f.projection_method = 'year_to_date' then f.numerator * f.factor
            else f.numerator
        end as projected_numerator
    from with_factor as f
)

select
    f.* exclude (
        projection, mid_year_projection, mean_change, so_far_total, rest_total, factor,
        projected_numerator
    ),
    {{ indicator_value('f.numerator', 'f.denominator', 'f.unit') }} as actual_value,
    case
        when f.projection_method is not null then
            {{ indicator_value('f.projected_numerator', 'f.denominator', 'f.unit') }}
    end as projected_value,
    case
        when f.target_value is null then 'no_target'
        when {{ indicator_value('f.numerator', 'f.denominator', 'f.unit') }} is null then 'no_data'
        when f.is_final
            then
                case
                    when {{ meets_target('f.numerator', 'f.denominator', 'f.unit', 'f.comparator',
                                      'f.target_value', 'f.tolerance') }}
                        then 'met'
                    else 'not_met'
                end
        when {{ meets_target('f.projected_numerator', 'f.denominator', 'f.unit',
                             'f.comparator', 'f.target_value', 'f.tolerance') }}
            then 'on_track'
        else 'at_risk'
    end as status,
    -- a subtraction in each direction, not −1 × (actual − target): at exactly the target
    -- that product is −0.0, which DuckDB's storage does not keep apart from 0.0 (a column
    -- of zeros is stored as one constant, with one sign for all)
    case
        when f.direction = 'higher'
            then
                {{ indicator_value('f.numerator', 'f.denominator', 'f.unit') }}
                - cast(f.target_value as double)
        else
            cast(f.target_value as double)
            - {{ indicator_value('f.numerator', 'f.denominator', 'f.unit') }}
    end as gap,
    {{ gap_count('f.numerator', 'f.denominator', 'f.unit', 'f.comparator', 'f.target_value',
                 'f.tolerance', 'f.target_count', 'f.target_base') }} as gap_count
from projected as f
where {{ in_changed_partitions('f.school_year', 'f.period', 'f.province_code_2025') }}
