-- ASN (civil servant) SP Online completion, day by day, over the agencies serving an area.
-- Grain: one row per day. Parameters: $area (Kemendagri code).
with serving as (
    select agencies.code
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
    prog.date,
    sum(prog.employees)::bigint as employees,
    sum(prog.complete)::bigint as complete,
    sum(prog.complete) / nullif(sum(prog.employees), 0) as rate,
    any_value(asn_target.target) as target
from asn_progress as prog
join serving
    on serving.code = prog.agency_code
cross join asn_target
group by prog.date
order by prog.date
