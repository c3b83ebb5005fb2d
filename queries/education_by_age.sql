-- Highest education attained by five-year age group, persons aged 5 and over.
-- Grain: one row per age group and education level (zeros included). Parameters: $area, $period (the
-- latest up to it; any when null).
-- dataset_id and period name the data (null when there is none).
-- share is within the age group.
with pop as (
    select *
    from population_of([$area], $period, ['age', 'education'])
),

counts as (
    select
        grp.label as age_group,
        grp.lower,
        pop.education,
        sum(pop.persons)::bigint as persons
    from pop
    join age_groups as grp
        on pop.age_from between grp.lower and coalesce(grp.upper, 32767)
    where pop.education is not null
    group by all
),

grid as (
    select
        grp.label as age_group,
        grp.lower,
        edu.code as education
    from age_groups as grp
    cross join education_levels as edu
    where grp.lower >= 5
)

select
    grid.age_group,
    grid.lower,
    grid.education,
    coalesce(counts.persons, 0)::bigint as persons,
    coalesce(counts.persons, 0) / nullif(sum(counts.persons) over (partition by grid.lower), 0) as share,
    (select any_value(dataset_id) from pop) as dataset_id,
    (select any_value(period) from pop) as period
from grid
left join counts
    using (age_group, lower, education)
order by grid.lower, grid.education
