-- Which kinds of data the store holds, in all and for one area: population, and population by sex, by
-- age and by education (each from data with that dimension), SP Online progress, ASN progress, and the
-- SP Online and ASN completion targets in force (online_target, asn_target), without which nothing is
-- measured against one.
-- Grain: one row per fact. Parameters: $area (Kemendagri code, or null for the store alone: in_area is
-- then false for every fact).
with population_held as (
    select
        dimension,
        position,
        count(coverage.area_code) > 0 as in_store,
        count(*) filter (where area_code = $area) > 0 as in_area
    from (values ('population', 1), ('sex', 2), ('age', 3), ('education', 4)) as facts(dimension, position)
    left join population_coverage as coverage
        on dimension = 'population' or list_contains(coverage.dimensions, dimension)
    group by dimension, position
),

online_held as (
    select
        exists (select 1 from online_progress) as in_store,
        exists (select 1 from online_by_area where area_code = $area) as in_area
),

online_target_held as (
    select
        exists (select 1 from targets where indicator = 'online_households') as in_store,
        exists (
            select 1 from target_in_force where area_code = $area and indicator = 'online_households'
        ) as in_area
),

asn_target_held as (
    select
        exists (select 1 from targets where indicator = 'asn') as in_store,
        exists (select 1 from target_in_force where area_code = $area and indicator = 'asn') as in_area
),

asn_held as (
    select
        exists (select 1 from asn_progress) as in_store,
        exists (
            select 1
            from asn_progress as prog
            join asn_base as base
                on base.agency_code = prog.agency_code
            where base.area_code = $area
        ) as in_area
),

held as (
    select position, dimension as fact, in_store, in_area from population_held
    union all
    select 5, 'online', in_store, in_area from online_held
    union all
    select 6, 'asn', in_store, in_area from asn_held
    union all
    select 7, 'online_target', in_store, in_area from online_target_held
    union all
    select 8, 'asn_target', in_store, in_area from asn_target_held
)

select
    fact,
    in_store,
    in_area
from held
order by position
