-- The areas one level below an area, or the top-level areas when $area is null.
-- Grain: one row per child area. Parameters: $area (Kemendagri code, or null).
select
    code,
    bps_code,
    name,
    bps_name,
    level,
    area_km2,
    lat,
    lon
from areas
where parent_code = $area
    or (parent_code is null and $area is null)
order by code
