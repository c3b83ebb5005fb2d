-- The periods of the population data, in time order, with the datasets that hold each.
-- Grain: one row per period. No parameters.
select
    period,
    list(distinct dataset_id order by dataset_id) as datasets
from population_coverage
group by period
order by period
