-- The population pyramid: five-year age groups by sex, or by age group alone (sex null) when $needs
-- is ['age'].
-- Grain: one row per age group and sex (zeros included). Parameters: $area (Kemendagri code), $period
-- (the latest up to it; any when null), $needs (['sex', 'age'] or ['age']).
-- share is of the area's whole population; dataset_id and period name the data (null when there is none).
with pop as (
    select *
    from population_of([$area], $period, $needs)
),

by_group as (
    select
        grp.label as age_group,
        grp.lower,
        if(list_contains($needs, 'sex'), pop.sex, null) as sex,
        sum(pop.persons)::bigint as persons
    from pop
    join age_groups as grp
        on pop.age_from between grp.lower and coalesce(grp.upper, 32767)
    group by all
),

grid as (
    select
        grp.label as age_group,
        grp.lower,
        sex.sex
    from age_groups as grp
    cross join (
        select unnest(if(list_contains($needs, 'sex'), [1, 2], [null]))::tinyint as sex
    ) as sex
)

select
    grid.age_group,
    grid.lower,
    grid.sex,
    coalesce(by_group.persons, 0)::bigint as persons,
    coalesce(by_group.persons, 0) / nullif(sum(by_group.persons) over (), 0) as share,
    (select any_value(dataset_id) from pop) as dataset_id,
    (select any_value(period) from pop) as period
from grid
left join by_group
    on by_group.lower = grid.lower
    and by_group.sex is not distinct from grid.sex
order by grid.lower, grid.sex
