-- ASN (civil servant) SP Online completion by agency (OPD) on a date.
-- Grain: one row per agency serving the area or one of its ancestors. Parameters: $area, $date.
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
order by rank, code
