-- What the store holds: each top-level area with its persons and its number of areas by level.
-- Grain: one row per top-level area. No parameters.
select
    root.code,
    root.name,
    root.level,
    coalesce((select sum(persons) from population_total_of([root.code], null, [])), 0)::bigint as persons,
    count(*) filter (where areas.level = 'province')::bigint as provinces,
    count(*) filter (where areas.level = 'regency')::bigint as regencies,
    count(*) filter (where areas.level = 'district')::bigint as districts,
    count(*) filter (where areas.level = 'village')::bigint as villages
from areas as root
join area_ancestors as anc
    on anc.ancestor_code = root.code
join areas
    on areas.code = anc.code
where root.parent_code is null
group by root.code, root.name, root.level
order by root.code
