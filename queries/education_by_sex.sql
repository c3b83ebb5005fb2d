-- Highest education attained, by sex, persons aged 5 and over.
-- Grain: one row per education level and sex (zeros included). Parameters: $area (Kemendagri code).
-- share is within the sex.
with counts as (
    select
        pop.education,
        pop.sex,
        sum(pop.persons)::bigint as persons
    from population_by_area as pop
    where pop.area_code = $area
        and pop.education is not null
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
    coalesce(counts.persons, 0) / nullif(sum(counts.persons) over (partition by grid.sex), 0) as share
from grid
left join counts
    using (education, sex)
order by grid.education, grid.sex
