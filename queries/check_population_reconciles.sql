-- Data check: in every population dataset and period, each area's total equals the sum over its child
-- areas, or its own counts where the dataset holds the area itself; so no dataset holds an area and
-- one of its ancestors in one period.
-- Grain: one row per dataset, period and area that does not reconcile (none when the check passes).
-- No parameters.
with totals as (
    select
        dataset_id,
        period,
        area_code as code,
        sum(persons)::bigint as persons
    from population_by_area
    group by all
),

parts as (
    select
        totals.dataset_id,
        totals.period,
        areas.parent_code as code,
        totals.persons
    from totals
    join areas
        on areas.code = totals.code
    where areas.parent_code is not null
    union all
    select
        dataset_id,
        period,
        area_code,
        persons
    from population
),

summed as (
    select
        dataset_id,
        period,
        code,
        sum(persons)::bigint as parts_persons
    from parts
    group by all
)

select
    summed.dataset_id,
    summed.period,
    summed.code,
    coalesce(totals.persons, 0) as persons,
    summed.parts_persons
from summed
left join totals
    using (dataset_id, period, code)
where coalesce(totals.persons, 0) <> summed.parts_persons
order by summed.dataset_id, summed.period, summed.code
