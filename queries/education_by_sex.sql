-- Highest education attained, by sex, persons aged 5 and over.
-- Grain: one row per education level and sex (zeros included). Parameters: $area (Kemendagri code),
-- $period (the latest up to it; any when null).
-- dataset_id and period name the data (null when there is none).
-- share is within the sex.
with pop as (
    select *
    from population_of([$area], $period, ['sex', 'education'])
),

counts as (
    select
        pop.education,
        pop.sex,
        sum(pop.persons)::bigint as persons
    from pop
    where pop.education is not null
    group by all
),

grid as (
    select
        edu.code as education,
        sex.sex
    from education_levels as edu
    cross join (values (1::tinyint), (2::tinyint)) as sex(sex)
)

select
    grid.education,
    grid.sex,
    coalesce(counts.persons, 0)::bigint as persons,
    coalesce(counts.persons, 0) / nullif(sum(counts.persons) over (partition by grid.sex), 0) as share,
    (select any_value(dataset_id) from pop) as dataset_id,
    (select any_value(period) from pop) as period
from grid
left join counts
    using (education, sex)
order by grid.education, grid.sex
