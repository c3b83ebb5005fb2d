-- Data check: every code in the facts is known to the reference tables: areas, sex, education,
-- agencies, the datasets; and no count is negative.
-- Grain: one row per unknown code (none when the check passes). No parameters.
select distinct
    'population.area_code' as field,
    area_code as code
from population
where area_code not in (select code from areas)
union all
select distinct 'population.dataset_id', dataset_id::varchar
from population
where dataset_id not in (select id from datasets)
union all
select distinct 'population.sex', sex::varchar
from population
where sex not in (1, 2)
union all
select distinct 'population.education', education::varchar
from population
where education is not null
    and education not in (select code from education_levels)
union all
select distinct 'population.persons', persons::varchar
from population
where persons < 0
union all
select distinct 'online_progress.village_code', village_code
from online_progress
where village_code not in (select code from areas where level = 'village')
union all
select distinct 'asn_progress.agency_code', agency_code
from asn_progress
where agency_code not in (select code from agencies)
order by field, code
