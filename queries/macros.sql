-- Table macros the queries share, created once in a snapshot's catalog (queries.prepare), else on
-- the cursor of each query that calls one, as temporary macros (queries.execute).
-- Population counts are read as published (population_published: protected, sensus/privacy.py), or
-- exact (population_by_area) when the variable exact_counts is set (SENSUS_PROTECTION=off).

-- The dataset and period that tell the population of each area in `areas`: of the datasets that have
-- every dimension in `needs` (sex, age, education), one that covers the whole area before one that
-- covers part of it (a table of some of its kelurahan), then the latest period up to `wanted` (any, when
-- null), then the dataset with the fewest dimensions (a published table before a cube summed over), sex
-- before age before education, the newest load last. One row per area, with its whole total (persons:
-- exact for kecamatan and above) and how much of the area the data covers (leaves_covered of leaves).
create or replace macro population_total_of(areas, wanted, needs) as table
select
    area_code,
    dataset_id,
    period,
    if(coalesce(getvariable('exact_counts'), false), exact_persons, persons) as persons,
    leaves_covered,
    leaves
from population_coverage
where list_contains(areas, area_code)
    and list_has_all(dimensions, needs)
    and (wanted is null or period <= wanted)
qualify row_number() over (
    partition by area_code
    order by
        leaves_covered = leaves desc,
        period desc,
        len(dimensions),
        list_contains(dimensions, 'sex') desc,
        list_contains(dimensions, 'age') desc,
        dataset_id desc
) = 1;

-- The population cells of each area in `areas` from the dataset and period population_total_of picks.
-- Each row names its dataset_id and period.
create or replace macro population_of(areas, wanted, needs) as table
with chosen as (
    select
        area_code,
        dataset_id,
        period
    from population_total_of(areas, wanted, needs)
),

cells as (
    select *
    from population_published
    where not coalesce(getvariable('exact_counts'), false)
    union all
    select *
    from population_by_area
    where coalesce(getvariable('exact_counts'), false)
)

select cells.*
from cells
join chosen
    using (area_code, dataset_id, period);
