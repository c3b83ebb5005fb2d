-- SP Online completion across the child areas of an area on a date.
-- Grain: one row per child area. Parameters: $area (Kemendagri code), $date.
-- rate = complete / base households; target is a share of the base (the area's own, else the default);
-- gap = households still needed to reach the target (0 once reached); rank 1 = highest rate.
with children as (
    select
        code,
        name
    from areas
    where parent_code = $area
),

default_target as (
    select share
    from targets
    where indicator = 'online_households'
        and area_code is null
),

progress as (
    select
        children.code,
        children.name,
        prog.households_base as base,
        prog.households_submitted as submitted,
        prog.households_complete as complete,
        coalesce(own.share, (select share from default_target)) as target
    from children
    join online_by_area as prog
        on prog.area_code = children.code
        and prog.date = $date
    left join targets as own
        on own.indicator = 'online_households'
        and own.area_code = children.code
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
