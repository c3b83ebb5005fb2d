-- One area with its parent.
-- Grain: one row. Parameters: $area (Kemendagri code).
select
    area.code,
    area.bps_code,
    area.name,
    area.level,
    area.parent_code,
    parent.name as parent_name,
    area.area_km2,
    area.lat,
    area.lon
from areas as area
left join areas as parent
    on parent.code = area.parent_code
where area.code = $area
