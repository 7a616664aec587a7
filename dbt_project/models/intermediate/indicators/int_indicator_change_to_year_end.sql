{{ incremental_by_period() }}
-- How each unit's value moved from an interim reading (start or middle of the year) to the
-- end of the year, in its own previous school years: the history behind the early warning
-- (int_target_achievement, docs/targets.md).
--
-- For every unit, indicator, segment and interim period of a school year, over the unit's
-- up to three previous school years that have both that period and the end of the year:
--   mean_change   mean of (end-of-year value − interim value), as a share of the
--                 denominator for rates (0.004 = 0.4 percentage points) and in units for
--                 counts;
--   so_far_total, rest_total
--                 for counts that accumulate over the year (dropouts): the numerators of the
--                 interim readings summed over those years, and what came after them until
--                 the end of the year (end − interim), summed;
--   history_years how many previous years went into the mean (1 to 3).
-- A unit without such a year has no row here.
{% set years_back = 3 %}
with counts as (
    select
        c.*,
        cast(left(c.school_year, 4) as integer) as year_start,
        case
            when i.unit = 'count' then c.numerator
            when c.denominator > 0 then c.numerator / c.denominator
        end as share
    from {{ ref('int_indicator_counts') }} as c
    inner join {{ ref('indicators') }} as i using (indicator_code)
),

interim as (
    select * from counts
    where period in ('dau_nam', 'giua_nam') and {{ in_changed_partitions() }}
),

earlier as (  -- the readings of earlier years that these rows may draw on (none when no
    -- interim period is rebuilt: a correction of the end of the year reads no history here)
    select * from counts
    where
        share is not null
        and {{ in_years_before_changed_partitions(years_back, periods=['dau_nam', 'giua_nam']) }}
),

changes as (
    select
        i.boundaries,
        i.unit_level,
        i.unit_code,
        i.school_year,
        i.period,
        i.indicator_code,
        i.segment,
        e_end.share - e_then.share as change,
        e_then.numerator as so_far,
        e_end.numerator - e_then.numerator as rest
    from interim as i
    inner join earlier as e_then
        on
            i.boundaries = e_then.boundaries
            and i.unit_level = e_then.unit_level and i.unit_code = e_then.unit_code
            and i.indicator_code = e_then.indicator_code and i.segment = e_then.segment
            and i.period = e_then.period
            and e_then.year_start between i.year_start - {{ years_back }} and i.year_start - 1
    inner join earlier as e_end
        on
            e_then.boundaries = e_end.boundaries
            and e_then.unit_level = e_end.unit_level and e_then.unit_code = e_end.unit_code
            and e_then.indicator_code = e_end.indicator_code and e_then.segment = e_end.segment
            and e_then.school_year = e_end.school_year
            and e_end.period = 'cuoi_nam'
)

select
    boundaries,
    unit_level,
    unit_code,
    school_year,
    period,
    indicator_code,
    segment,
    avg(change) as mean_change,
    sum(so_far) as so_far_total,
    sum(rest) as rest_total,
    count(*) as history_years
from changes
group by all
