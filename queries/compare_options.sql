-- The areas offered for comparison from an area: the area and the others under the same parent (a
-- top-level area has none), its child areas and their child areas, in tree order.
-- Grain: one row per area. Parameters: $area (Kemendagri code).
select
    areas.code,
    areas.name,
    areas.level,
    areas.parent_code
from areas
left join areas as parent
    on parent.code = areas.parent_code
where areas.parent_code = (select parent_code from areas where code = $area)
    or areas.parent_code = $area
    or parent.parent_code = $area
order by areas.code
