-- Rollups by area: every fact summed to each of its ancestors (and itself), so that a
-- question about any area, at any level, reads one contiguous run of rows.

create or replace table population_by_area as
select
    anc.ancestor_code as area_code,
    pop.sex,
    pop.age_from,
    pop.age_to,
    pop.education,
    sum(pop.persons)::bigint as persons
from population as pop
join area_ancestors as anc
    on anc.code = pop.village_code
group by all
order by area_code, sex, age_from, education;

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
