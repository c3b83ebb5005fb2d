-- Data check: every area's population equals the sum over its child areas.
-- Grain: one row per area that does not reconcile (none when the check passes). No parameters.
with totals as (
    select
        area_code,
        sum(persons)::bigint as persons
    from population_by_area
    group by area_code
),

child_sums as (
    select
        areas.parent_code as code,
        sum(coalesce(totals.persons, 0))::bigint as children_persons
    from areas
    left join totals
        on totals.area_code = areas.code
    where areas.parent_code is not null
    group by areas.parent_code
)

select
    child_sums.code,
    coalesce(totals.persons, 0) as persons,
    child_sums.children_persons
from child_sums
left join totals
    on totals.area_code = child_sums.code
where coalesce(totals.persons, 0) <> child_sums.children_persons
order by child_sums.code
