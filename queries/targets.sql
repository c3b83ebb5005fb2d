-- The completion targets in force for an area, with their sources: its own, else the default.
-- Grain: one row per indicator (online_households, asn). Parameters: $area (Kemendagri code).
select
    indicator,
    share,
    source
from target_in_force
where area_code = $area
order by indicator
