-- The datasets in force: for areas, SP Online and ASN, the latest load of that kind, else the latest
-- sample; for the population, every dataset whose counts the store holds (one per set of dimensions),
-- with its periods.
-- Grain: one row per fact and dataset (fact: areas, population, online, asn). No parameters.
with facts as (
    select fact
    from (values ('areas'), ('online'), ('asn')) as facts(fact)
),

latest as (
    select
        facts.fact,
        datasets.*
    from facts
    join datasets
        on datasets.kind in (facts.fact, 'sample')
    qualify row_number() over (
        partition by facts.fact
        order by (datasets.kind = facts.fact) desc, datasets.id desc
    ) = 1
),

population_datasets as (
    select
        'population' as fact,
        datasets.*
    from datasets
    where id in (select dataset_id from population_coverage)
),

in_force as (
    select * from latest
    union all
    select * from population_datasets
)

select
    in_force.fact,
    in_force.id,
    in_force.kind,
    in_force.source_file,
    in_force.sha256,
    in_force.rows_read,
    in_force.persons_read,
    in_force.loaded_at,
    in_force.synthetic,
    in_force.description_key,
    in_force.description_values,
    in_force.dimensions,
    (
        select list(distinct period order by period)
        from population_coverage
        where dataset_id = in_force.id and in_force.fact = 'population'
    ) as periods
from in_force
order by in_force.fact, in_force.id
