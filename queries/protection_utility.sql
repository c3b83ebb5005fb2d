-- What the disclosure control (sensus/privacy.py) changes, per area level, over every dataset and
-- period: the counts by sex, five-year age group and education of each area as published against
-- the exact ones, and the whole-area totals.
-- Grain: one row per area level holding population data. No parameters.
-- cells: counts (non-zero, exact or published); moved: those published otherwise; small: those of 1 to
-- k-1 persons (each published as 0 or k); persons_moved: the sum of |published - exact|; persons: the
-- exact persons; totals, totals_moved and total_persons_moved: the same for whole-area totals.
with counts as (
    select 'exact' as kind, * from population_by_area
    union all
    select 'published', * from population_published
),

grouped as (
    select
        pop.kind,
        pop.dataset_id,
        pop.period,
        pop.area_code,
        pop.sex,
        grp.lower,
        pop.education,
        pop.persons
    from counts as pop
    left join age_groups as grp
        on pop.age_from between grp.lower and coalesce(grp.upper, 32767)
),

cells as (
    select
        area_code,
        sum(persons) filter (where kind = 'exact') as exact,
        coalesce(sum(persons) filter (where kind = 'published'), 0) as published
    from grouped
    group by dataset_id, period, area_code, sex, lower, education
),

by_level as (
    select
        areas.level,
        count(*) filter (where cells.exact > 0 or cells.published > 0) as cells,
        count(*) filter (where cells.published <> cells.exact) as moved,
        count(*) filter (where cells.exact between 1 and settings.min_cell - 1) as small,
        sum(abs(cells.published - cells.exact)) as persons_moved,
        sum(cells.exact) as persons
    from cells
    join areas
        on areas.code = cells.area_code
    cross join protection_settings as settings
    group by areas.level
),

totals as (
    select
        areas.level,
        count(*) as totals,
        count(*) filter (where coverage.persons <> coverage.exact_persons) as totals_moved,
        sum(abs(coverage.persons - coverage.exact_persons)) as total_persons_moved
    from population_coverage as coverage
    join areas
        on areas.code = coverage.area_code
    group by areas.level
)

select
    by_level.level,
    by_level.cells::bigint as cells,
    by_level.moved::bigint as moved,
    by_level.small::bigint as small,
    by_level.persons_moved::bigint as persons_moved,
    by_level.persons::bigint as persons,
    totals.totals::bigint as totals,
    totals.totals_moved::bigint as totals_moved,
    totals.total_persons_moved::bigint as total_persons_moved
from by_level
join totals
    using (level)
order by list_position(['nation', 'province', 'regency', 'district', 'village'], by_level.level)
