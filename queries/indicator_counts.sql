-- The counts behind the headline indicators, for an area, its parent and its children.
-- Grain: one row per area. Parameters: $area (Kemendagri code).
-- role is 'area', 'parent' or 'child'.
with family as (
    select
        code,
        name,
        area_km2,
        case
            when code = $area then 'area'
            when parent_code = $area then 'child'
            else 'parent'
        end as role
    from areas
    where code = $area
        or parent_code = $area
        or code = (select parent_code from areas where code = $area)
),

counts as (
    select
        pop.area_code,
        sum(pop.persons)::bigint as persons,
        sum(pop.persons) filter (where pop.sex = 1)::bigint as male,
        sum(pop.persons) filter (where pop.sex = 2)::bigint as female,
        sum(pop.persons) filter (where pop.age_to < 15)::bigint as age_0_14,
        sum(pop.persons) filter (where pop.age_from >= 15 and pop.age_to < 65)::bigint as age_15_64,
        sum(pop.persons) filter (where pop.age_from >= 65)::bigint as age_65_plus,
        sum(pop.persons) filter (where pop.education is not null)::bigint as with_education,
        sum(pop.persons) filter (where edu.higher)::bigint as higher_education
    from population_by_area as pop
    join family
        on family.code = pop.area_code
    left join education_levels as edu
        on edu.code = pop.education
    group by pop.area_code
)

select
    family.code,
    family.name,
    family.role,
    family.area_km2,
    coalesce(counts.persons, 0) as persons,
    coalesce(counts.male, 0) as male,
    coalesce(counts.female, 0) as female,
    coalesce(counts.age_0_14, 0) as age_0_14,
    coalesce(counts.age_15_64, 0) as age_15_64,
    coalesce(counts.age_65_plus, 0) as age_65_plus,
    coalesce(counts.with_education, 0) as with_education,
    coalesce(counts.higher_education, 0) as higher_education
from family
left join counts
    on counts.area_code = family.code
order by family.role, family.code
