-- Data check: every village's total equals its facts, and every other area's total equals the sum
-- over its child areas, level by level.
-- Grain: one row per area that does not reconcile (none when the check passes). No parameters.
with totals as (
    select
        area_code as code,
        sum(persons)::bigint as persons
    from population_by_area
    group by area_code
),

parts as (
    select
        areas.parent_code as code,
        sum(coalesce(totals.persons, 0))::bigint as parts_persons
    from areas
    left join totals
        on totals.code = areas.code
    where areas.parent_code is not null
    group by areas.parent_code
    union all
    select
        village_code,
        sum(persons)::bigint
    from population
    group by village_code
)

select
    parts.code,
    coalesce(totals.persons, 0) as persons,
    parts.parts_persons
from parts
left join totals
    on totals.code = parts.code
where coalesce(totals.persons, 0) <> parts.parts_persons
order by parts.code
