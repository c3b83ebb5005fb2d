-- Rollups by area: every fact summed to each of its ancestors (and itself), so that a
-- question about any area, at any level, reads one contiguous run of rows; and the views that
-- state once the rules the queries share (the target in force, the civil servants an area counts).

create or replace table population_by_area as
select
    pop.dataset_id,
    pop.period,
    anc.ancestor_code as area_code,
    pop.sex,
    pop.age_from,
    pop.age_to,
    pop.education,
    sum(pop.persons)::bigint as persons
from population as pop
join area_ancestors as anc
    on anc.code = pop.area_code
group by all
order by area_code, dataset_id, period, sex, age_from, education;

-- The population datasets and periods that hold each area, with the dimensions of each.
create or replace table population_coverage as
select
    pop.area_code,
    pop.dataset_id,
    pop.period,
    datasets.dimensions,
    sum(pop.persons)::bigint as persons
from population_by_area as pop
join datasets
    on datasets.id = pop.dataset_id
group by all
order by area_code, dataset_id, period;

create or replace table online_by_area as
select
    anc.ancestor_code as area_code,
    prog.date,
    sum(prog.households_base)::bigint as households_base,
    sum(prog.households_submitted)::bigint as households_submitted,
    sum(prog.households_complete)::bigint as households_complete
from online_progress as prog
join area_ancestors as anc
    on anc.code = prog.village_code
group by all
order by area_code, date;

-- The completion target in force for each area and indicator: the area's own, else the default.
create or replace view target_in_force as
select
    areas.code as area_code,
    targets.indicator,
    targets.share,
    targets.source
from areas
join targets
    on targets.area_code = areas.code
    or targets.area_code is null
qualify row_number() over (partition by areas.code, targets.indicator order by targets.area_code is null) = 1;

-- The ASN (civil servant) base of each area: the agencies serving it (those of the area or one of
-- its ancestors), with the ASN target in force for the area.
create or replace view asn_base as
select
    anc.code as area_code,
    agencies.code as agency_code,
    agencies.name,
    agencies.short_name,
    target.share as target
from agencies
join area_ancestors as anc
    on anc.ancestor_code = agencies.area_code
left join target_in_force as target
    on target.area_code = anc.code
    and target.indicator = 'asn';
