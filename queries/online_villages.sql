-- SP Online completion of every village within an area on a date.
-- Grain: one row per village. Parameters: $area (Kemendagri code, any level), $date.
-- rate = complete / base households; target is the share of the base in force (target_in_force);
-- gap = households still needed to reach the target.
with villages as (
    select
        areas.code,
        areas.name,
        parent.name as district_name
    from area_ancestors as anc
    join areas
        on areas.code = anc.code
    left join areas as parent
        on parent.code = areas.parent_code
    where anc.ancestor_code = $area
        and areas.level = 'village'
)

select
    villages.code,
    villages.name,
    villages.district_name,
    prog.households_base as base,
    prog.households_submitted as submitted,
    prog.households_complete as complete,
    prog.households_complete / nullif(prog.households_base, 0) as rate,
    target.share as target,
    greatest(ceil(target.share * prog.households_base)::bigint - prog.households_complete, 0) as gap
from villages
join online_by_area as prog
    on prog.area_code = villages.code
    and prog.date = $date
left join target_in_force as target
    on target.area_code = villages.code
    and target.indicator = 'online_households'
order by rate, villages.code
