-- Table macros the queries share, created on the cursor of each query that calls one (queries.run).

-- The population of each area in `areas` as one dataset and period tell it: of the datasets that have
-- every dimension in `needs` (sex, age, education), the latest period up to `wanted` (any, when null),
-- then the dataset with the fewest dimensions (a published table before a cube summed over), sex before
-- age before education, the newest load last. Each row names its dataset_id and period.
create or replace temp macro population_of(areas, wanted, needs) as table
with chosen as (
    select
        area_code,
        dataset_id,
        period
    from population_coverage
    where list_contains(areas, area_code)
        and list_has_all(dimensions, needs)
        and (wanted is null or period <= wanted)
    qualify row_number() over (
        partition by area_code
        order by
            period desc,
            len(dimensions),
            list_contains(dimensions, 'sex') desc,
            list_contains(dimensions, 'age') desc,
            dataset_id desc
    ) = 1
)

select pop.*
from population_by_area as pop
join chosen
    using (area_code, dataset_id, period);
