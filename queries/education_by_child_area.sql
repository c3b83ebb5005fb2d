-- Highest education attained across the child areas of an area, persons aged 5 and over.
-- Grain: one row per child area and education level (zeros included). Parameters: $area, $period (the
-- latest up to it; any when null).
-- share is within the child area; higher_share is its share with Diploma I and above;
-- rank orders the children by higher_share (1 = highest); dataset_id and period name each child's data.
with children as (
    select
        code,
        name
    from areas
    where parent_code = $area
),

pop as (
    select *
    from population_of((select list(code) from children), $period, ['education'])
),

counts as (
    select
        pop.area_code as code,
        pop.education,
        sum(pop.persons)::bigint as persons
    from pop
    where pop.education is not null
    group by all
),

sources as (
    select
        area_code as code,
        any_value(dataset_id) as dataset_id,
        any_value(period) as period
    from pop
    group by area_code
),

grid as (
    select
        children.code,
        children.name,
        edu.code as education,
        edu.higher
    from children
    cross join education_levels as edu
),

shares as (
    select
        grid.code,
        grid.name,
        grid.education,
        coalesce(counts.persons, 0)::bigint as persons,
        coalesce(counts.persons, 0) / nullif(sum(counts.persons) over (partition by grid.code), 0) as share,
        sum(case when grid.higher then counts.persons else 0 end) over (partition by grid.code)
            / nullif(sum(counts.persons) over (partition by grid.code), 0) as higher_share
    from grid
    left join counts
        using (code, education)
)

select
    shares.code,
    shares.name,
    shares.education,
    shares.persons,
    shares.share,
    shares.higher_share,
    dense_rank() over (order by shares.higher_share desc nulls last, shares.code) as rank,
    sources.dataset_id,
    sources.period
from shares
left join sources
    using (code)
order by rank, shares.education
