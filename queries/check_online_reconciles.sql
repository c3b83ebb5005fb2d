-- Data check: every village's SP Online households equal its facts, and every other area's equal the
-- sum over its child areas, day by day.
-- Grain: one row per area and day that does not reconcile (none when the check passes). No parameters.
with parts as (
    select
        areas.parent_code as code,
        prog.date,
        sum(prog.households_base)::bigint as base,
        sum(prog.households_submitted)::bigint as submitted,
        sum(prog.households_complete)::bigint as complete
    from areas
    join online_by_area as prog
        on prog.area_code = areas.code
    where areas.parent_code is not null
    group by all
    union all
    select
        village_code,
        date,
        households_base,
        households_submitted,
        households_complete
    from online_progress
)

select
    parts.code,
    parts.date,
    own.households_base,
    parts.base as parts_base,
    own.households_complete,
    parts.complete as parts_complete
from parts
left join online_by_area as own
    on own.area_code = parts.code
    and own.date = parts.date
where own.households_base is distinct from parts.base
    or own.households_submitted is distinct from parts.submitted
    or own.households_complete is distinct from parts.complete
order by parts.code, parts.date
