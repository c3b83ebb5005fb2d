-- SP Online completion across the child areas of an area on a date.
-- Grain: one row per child area. Parameters: $area (Kemendagri code), $date.
-- rate = complete / base households; target is the share of the base in force (target_in_force);
-- gap = households still needed to reach the target (0 once reached); rank 1 = highest rate.
with progress as (
    select
        children.code,
        children.name,
        prog.households_base as base,
        prog.households_submitted as submitted,
        prog.households_complete as complete,
        target.share as target
    from areas as children
    join online_by_area as prog
        on prog.area_code = children.code
        and prog.date = $date
    left join target_in_force as target
        on target.area_code = children.code
        and target.indicator = 'online_households'
    where children.parent_code = $area
)

select
    code,
    name,
    base,
    submitted,
    complete,
    complete / nullif(base, 0) as rate,
    submitted / nullif(base, 0) as submitted_rate,
    target,
    greatest(ceil(target * base)::bigint - complete, 0) as gap,
    rank() over (order by complete / nullif(base, 0) desc nulls last) as rank
from progress
order by rank, code
