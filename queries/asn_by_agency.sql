-- ASN (civil servant) SP Online completion by agency (OPD) on a date.
-- Grain: one row per agency serving the area or one of its ancestors. Parameters: $area, $date.
-- rate = complete / employees; gap = employees still needed to reach the target; rank 1 = highest rate.
with serving as (
    select
        agencies.code,
        agencies.name,
        agencies.short_name
    from agencies
    join area_ancestors as anc
        on anc.ancestor_code = agencies.area_code
    where anc.code = $area
),

asn_target as (
    select share as target
    from targets
    where indicator = 'asn'
        and area_code is null
)

select
    serving.code,
    serving.name,
    serving.short_name,
    prog.employees,
    prog.complete,
    prog.complete / nullif(prog.employees, 0) as rate,
    asn_target.target,
    greatest(ceil(asn_target.target * prog.employees)::bigint - prog.complete, 0) as gap,
    rank() over (order by prog.complete / nullif(prog.employees, 0) desc) as rank
from serving
join asn_progress as prog
    on prog.agency_code = serving.code
    and prog.date = $date
cross join asn_target
order by rank, serving.code
