-- ASN (civil servant) SP Online completion, day by day, over the agencies serving an area.
-- Grain: one row per day. Parameters: $area (Kemendagri code).
select
    prog.date,
    sum(prog.employees)::bigint as employees,
    sum(prog.complete)::bigint as complete,
    sum(prog.complete) / nullif(sum(prog.employees), 0) as rate,
    any_value(base.target) as target
from asn_progress as prog
join asn_base as base
    on base.agency_code = prog.agency_code
where base.area_code = $area
group by prog.date
order by prog.date
