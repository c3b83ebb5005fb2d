-- SP Online progress of an area, day by day.
-- Grain: one row per day. Parameters: $area (Kemendagri code).
-- Counts are cumulative; new_* are the day's additions; rate = complete / base households;
-- target is the share of the base in force (target_in_force).
select
    prog.date,
    prog.households_base as base,
    prog.households_submitted as submitted,
    prog.households_complete as complete,
    prog.households_submitted
        - coalesce(lag(prog.households_submitted) over (order by prog.date), 0) as new_submitted,
    prog.households_complete
        - coalesce(lag(prog.households_complete) over (order by prog.date), 0) as new_complete,
    prog.households_complete / nullif(prog.households_base, 0) as rate,
    target.share as target
from online_by_area as prog
left join target_in_force as target
    on target.area_code = prog.area_code
    and target.indicator = 'online_households'
where prog.area_code = $area
order by prog.date
