-- The counts behind the headline indicators, for an area, its parent and its children: each kind of
-- count from the population data that has its dimension (population_of), up to $period; persons is the
-- area's whole total (population_total_of: exact for kecamatan and above).
-- Grain: one row per area. Parameters: $area (Kemendagri code), $period (the latest up to it; any when null).
-- role is 'area', 'parent' or 'child'. by_sex, by_age and by_education are the persons of the data each
-- breakdown comes from (null where there is none); dataset_id and period name the data of persons, which
-- covers leaves_covered of the area's leaves (its kelurahan/desa, or the finest areas it has).
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

codes as (
    select list(code) as codes
    from family
),

totals as (
    select *
    from population_total_of((select codes from codes), $period, [])
),

sexes as (
    select
        area_code,
        sum(persons)::bigint as by_sex,
        sum(persons) filter (where sex = 1)::bigint as male,
        sum(persons) filter (where sex = 2)::bigint as female
    from population_of((select codes from codes), $period, ['sex'])
    group by area_code
),

ages as (
    select
        area_code,
        sum(persons)::bigint as by_age,
        sum(persons) filter (where age_to < 15)::bigint as age_0_14,
        sum(persons) filter (where age_from >= 15 and age_to < 65)::bigint as age_15_64,
        sum(persons) filter (where age_from >= 65)::bigint as age_65_plus
    from population_of((select codes from codes), $period, ['age'])
    group by area_code
),

schooling as (
    select
        pop.area_code,
        sum(pop.persons)::bigint as by_education,
        sum(pop.persons) filter (where pop.education is not null)::bigint as with_education,
        sum(pop.persons) filter (where edu.higher)::bigint as higher_education
    from population_of((select codes from codes), $period, ['education']) as pop
    left join education_levels as edu
        on edu.code = pop.education
    group by pop.area_code
)

select
    family.code,
    family.name,
    family.role,
    family.area_km2,
    totals.dataset_id,
    totals.period,
    totals.leaves_covered,
    totals.leaves,
    coalesce(totals.persons, 0) as persons,
    sexes.by_sex,
    coalesce(sexes.male, 0) as male,
    coalesce(sexes.female, 0) as female,
    ages.by_age,
    coalesce(ages.age_0_14, 0) as age_0_14,
    coalesce(ages.age_15_64, 0) as age_15_64,
    coalesce(ages.age_65_plus, 0) as age_65_plus,
    schooling.by_education,
    coalesce(schooling.with_education, 0) as with_education,
    coalesce(schooling.higher_education, 0) as higher_education
from family
left join totals
    on totals.area_code = family.code
left join sexes
    on sexes.area_code = family.code
left join ages
    on ages.area_code = family.code
left join schooling
    on schooling.area_code = family.code
order by family.role, family.code
