-- ASN (civil servant) SP Online completion by agency (OPD) on a date.
-- Grain: one row per agency serving the area or one of its ancestors. Parameters: $area, $date.
-- Agencies of fewer than k employees are left out (see below).
-- rate = complete / employees; gap = employees still needed to reach the target; rank 1 = highest rate.
select
    base.agency_code as code,
    base.name,
    base.short_name,
    prog.employees,
    prog.complete,
    prog.complete / nullif(prog.employees, 0) as rate,
    base.target,
    greatest(ceil(base.target * prog.employees)::bigint - prog.complete, 0) as gap,
    rank() over (order by prog.complete / nullif(prog.employees, 0) desc) as rank
from asn_base as base
join asn_progress as prog
    on prog.agency_code = base.agency_code
    and prog.date = $date
where base.area_code = $area
    -- An agency of fewer than k employees is not shown on its own (sensus/privacy.py); its staff count in
    -- the totals (asn_trend). Not under SENSUS_PROTECTION=off.
    and (prog.employees >= (select min_cell from protection_settings) or getvariable('exact_counts'))
order by rank, code
