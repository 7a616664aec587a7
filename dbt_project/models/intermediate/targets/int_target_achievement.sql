{{ incremental_by_period() }}
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
--                      horizon): whether the value so far already satisfies the target.
--                      Dropouts accumulate over the year, so a mid-year dropout rate is
--                      doubled before it is compared (half the year has passed).
-- Comparisons are exact, in decimals (macros/target_comparison.sql).
with counts as (
    select * from {{ ref('int_indicator_counts') }}
),

targets as (
    select * from {{ ref('int_targets_by_year') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

schools as (
    select * from {{ ref('int_schools_by_year') }}
),

periods_of_year as (
    select distinct
        school_year,
        period
    from counts
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
        null::bigint as reporting_schools
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
    anti join counts as c
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
),

final_or_not as (
    select
        j.*,
        j.period = 'cuoi_nam' and j.school_year = j.final_school_year as is_final,
        -- the catalogue's factor from year-to-date counts to the whole year (dropouts: 2)
        case when j.period = 'giua_nam' then coalesce(j.mid_year_projection, 1) else 1 end
            as projection
    from joined as j
)

select
    f.* exclude (projection, mid_year_projection),
    {{ indicator_value('f.numerator', 'f.denominator', 'f.unit') }} as actual_value,
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
        when {{ meets_target('f.numerator * f.projection', 'f.denominator', 'f.unit',
                             'f.comparator', 'f.target_value', 'f.tolerance') }}
            then 'on_track'
        else 'at_risk'
    end as status,
    case when f.direction = 'higher' then 1 else -1 end
    * (
        {{ indicator_value('f.numerator', 'f.denominator', 'f.unit') }}
        - cast(f.target_value as double)
    ) as gap,
    {{ gap_count('f.numerator', 'f.denominator', 'f.unit', 'f.comparator', 'f.target_value',
                 'f.tolerance', 'f.target_count', 'f.target_base') }} as gap_count
from final_or_not as f
where {{ in_changed_partitions('f.school_year', 'f.period') }}
