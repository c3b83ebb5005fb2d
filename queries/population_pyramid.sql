-- The population pyramid: five-year age groups by sex.
-- Grain: one row per age group and sex (zeros included). Parameters: $area (Kemendagri code).
-- share is of the area's whole population.
with by_group as (
    select
        grp.label as age_group,
        grp.lower,
        pop.sex,
        sum(pop.persons)::bigint as persons
    from population_by_area as pop
    join age_groups as grp
        on pop.age_from between grp.lower and coalesce(grp.upper, 32767)
    where pop.area_code = $area
    group by all
),

grid as (
    select
        grp.label as age_group,
        grp.lower,
        sex.sex
    from age_groups as grp
    cross join (values (1::tinyint), (2::tinyint)) as sex(sex)
)

select
    grid.age_group,
    grid.lower,
    grid.sex,
    coalesce(by_group.persons, 0)::bigint as persons,
    coalesce(by_group.persons, 0) / nullif(sum(by_group.persons) over (), 0) as share
from grid
left join by_group
    using (age_group, lower, sex)
order by grid.lower, grid.sex
