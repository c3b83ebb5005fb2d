-- The dataset in force for each kind of fact: the latest load of that kind, else the latest sample.
-- Grain: one row per fact (areas, population, online, asn). No parameters.
with facts as (
    select fact
    from (values ('areas'), ('population'), ('online'), ('asn')) as facts(fact)
),

candidates as (
    select
        facts.fact,
        datasets.*,
        row_number() over (
            partition by facts.fact
            order by (datasets.kind = facts.fact) desc, datasets.id desc
        ) as preference
    from facts
    join datasets
        on datasets.kind in (facts.fact, 'sample')
)

select
    fact,
    id,
    kind,
    source_file,
    sha256,
    rows_read,
    persons_read,
    loaded_at,
    synthetic,
    description_key,
    description_values
from candidates
where preference = 1
order by fact
