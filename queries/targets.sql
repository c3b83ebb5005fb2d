-- The completion targets in force for an area, with their sources: its own, else the default.
-- Grain: one row per indicator (online_households, asn). Parameters: $area (Kemendagri code).
with ranked as (
    select
        indicator,
        share,
        source,
        row_number() over (partition by indicator order by area_code is null) as preference
    from targets
    where area_code = $area
        or area_code is null
)

select
    indicator,
    share,
    source
from ranked
where preference = 1
order by indicator
