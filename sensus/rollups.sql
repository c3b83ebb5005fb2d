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

-- Disclosure control (sensus/privacy.py): the cells of each area below kecamatan level, its counts by
-- dataset, period, sex, five-year age group and education, each with its count as published: its
-- cell key (a keyed hash of its identity with the store's secret seed, in [0, 1)) picks a row of the
-- perturbation table for its count. Counts published at kecamatan level or above stay as loaded.
create or replace table protected_cells as
with cells as (
    select
        pop.dataset_id,
        pop.period,
        pop.area_code,
        pop.sex,
        grp.lower as age_from,
        if(grp.upper is null, null, greatest(grp.upper, max(pop.age_to)))::smallint as age_to,
        pop.education,
        sum(pop.persons)::bigint as persons
    from population as pop
    join areas
        on areas.code = pop.area_code
    left join age_groups as grp
        on pop.age_from between grp.lower and coalesce(grp.upper, 32767)
    where areas.level not in ('nation', 'province', 'regency', 'district')
    group by pop.dataset_id, pop.period, pop.area_code, pop.sex, grp.lower, grp.upper, pop.education
),

keyed as (
    select
        cells.*,
        (md5_number(concat_ws('|', settings.seed, dataset_id, period, area_code, coalesce(sex::varchar, '-'),
            coalesce(age_from::varchar, '-'), coalesce(education::varchar, '-'))) % 4294967296) / 4294967296 as cell_key
    from cells, protection_settings as settings
)

select
    keyed.* exclude (cell_key),
    keyed.persons + ptable.change as published
from keyed
join perturbation_table as ptable
    on ptable.value = least(keyed.persons, (select max(value) from perturbation_table))
    and keyed.cell_key >= ptable.key_from
    and keyed.cell_key < ptable.key_to;

-- The published counts, rolled up like population_by_area: every table of any area sums protected
-- cells, so that the tables agree with one another and none can be subtracted from another to
-- recover a cell.
create or replace table population_published as
with cells as (
    select dataset_id, period, area_code, sex, age_from, age_to, education, published as persons
    from protected_cells
    where published > 0
    union all
    select pop.dataset_id, pop.period, pop.area_code, pop.sex, pop.age_from, pop.age_to, pop.education, pop.persons
    from population as pop
    join areas
        on areas.code = pop.area_code
    where areas.level in ('nation', 'province', 'regency', 'district')
)

select
    cells.dataset_id,
    cells.period,
    anc.ancestor_code as area_code,
    cells.sex,
    cells.age_from,
    cells.age_to,
    cells.education,
    sum(cells.persons)::bigint as persons
from cells
join area_ancestors as anc
    on anc.code = cells.area_code
group by all
order by area_code, dataset_id, period, sex, age_from, education;

-- The population datasets and periods that hold each area, with the dimensions of each and the
-- area's whole total: persons as published (exact for kecamatan and above, the sum of its published
-- cells below) and exact_persons; and how much of the area they cover: of its leaves (the areas below
-- it, or itself, without areas below them), those under the areas the dataset holds in the period.
create or replace table population_coverage as
with exact as (
    select area_code, dataset_id, period, sum(persons)::bigint as persons
    from population_by_area
    group by all
),

leaf_counts as (
    select
        anc.ancestor_code as area_code,
        count(*) as leaves
    from area_ancestors as anc
    where anc.code not in (select parent_code from areas where parent_code is not null)
    group by all
),

covered as (
    select
        held.dataset_id,
        held.period,
        anc.ancestor_code as area_code,
        sum(leaf_counts.leaves)::bigint as leaves_covered
    from (select distinct dataset_id, period, area_code from population) as held
    join leaf_counts
        on leaf_counts.area_code = held.area_code
    join area_ancestors as anc
        on anc.code = held.area_code
    group by all
),

published as (
    select area_code, dataset_id, period, sum(persons)::bigint as persons
    from population_published
    group by all
)

select
    exact.area_code,
    exact.dataset_id,
    exact.period,
    datasets.dimensions,
    if(areas.level in ('nation', 'province', 'regency', 'district'), exact.persons, coalesce(published.persons, 0))
        as persons,
    exact.persons as exact_persons,
    coalesce(covered.leaves_covered, 0) as leaves_covered,
    leaf_counts.leaves
from exact
join datasets
    on datasets.id = exact.dataset_id
join areas
    on areas.code = exact.area_code
join leaf_counts
    using (area_code)
left join covered
    using (area_code, dataset_id, period)
left join published
    using (area_code, dataset_id, period)
order by exact.area_code, exact.dataset_id, exact.period;

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
