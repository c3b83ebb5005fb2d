-- Where a population dataset and another hold the same area in the same period with other totals, at the
-- topmost areas both hold (their parts may differ too).
-- Grain: one row per other dataset, period and area that differ (none when all agree). Parameters: $dataset.
with held_by_both as (
    select
        theirs.dataset_id,
        ours.period,
        ours.area_code,
        theirs.persons as their_persons,
        ours.persons as our_persons
    from population_coverage as ours
    join population_coverage as theirs
        on theirs.area_code = ours.area_code
        and theirs.period = ours.period
        and theirs.dataset_id <> ours.dataset_id
    where ours.dataset_id = $dataset
)

select
    shared.dataset_id,
    shared.period,
    areas.name as area,
    shared.their_persons,
    shared.our_persons
from held_by_both as shared
join areas
    on areas.code = shared.area_code
where shared.their_persons <> shared.our_persons
    and not exists (
        select 1
        from held_by_both as above
        where above.dataset_id = shared.dataset_id
            and above.period = shared.period
            and above.area_code = areas.parent_code
    )
order by shared.dataset_id, shared.period, areas.code
