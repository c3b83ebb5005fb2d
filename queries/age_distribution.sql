-- Persons by age interval, for an area, its parent and its children (the input of the median age).
-- Grain: one row per area and age interval. Parameters: $area (Kemendagri code).
with family as (
    select code
    from areas
    where code = $area
        or parent_code = $area
        or code = (select parent_code from areas where code = $area)
)

select
    pop.area_code as code,
    pop.age_from,
    pop.age_to,
    sum(pop.persons)::bigint as persons
from population_by_area as pop
join family
    on family.code = pop.area_code
group by all
order by code, age_from
