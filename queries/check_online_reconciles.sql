-- Data check: every area's SP Online households equal the sum over its child areas, day by day.
-- Grain: one row per area and day that does not reconcile (none when the check passes). No parameters.
with child_sums as (
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
)

select
    child_sums.code,
    child_sums.date,
    own.households_base,
    child_sums.base as children_base,
    own.households_complete,
    child_sums.complete as children_complete
from child_sums
left join online_by_area as own
    on own.area_code = child_sums.code
    and own.date = child_sums.date
where own.households_base is distinct from child_sums.base
    or own.households_submitted is distinct from child_sums.submitted
    or own.households_complete is distinct from child_sums.complete
order by child_sums.code, child_sums.date
