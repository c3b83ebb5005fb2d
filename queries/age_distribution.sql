-- Persons by age interval, for an area, its parent and its children (the input of the median age).
-- Grain: one row per area and age interval. Parameters: $area (Kemendagri code), $period (the latest up
-- to it; any when null).
with family as (
    select list(code) as codes
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
from population_of((select codes from family), $period, ['age']) as pop
group by all
order by code, age_from
