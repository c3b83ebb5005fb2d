-- How many areas lie below an area, level by level (for a kabupaten/kota: its kecamatan, then its
-- kelurahan/desa).
-- Grain: one row per level below the area, the nearest first. Parameters: $area (Kemendagri code).
select
    areas.level,
    count(*)::bigint as areas
from area_ancestors as anc
join areas
    on areas.code = anc.code
where anc.ancestor_code = $area
    and anc.depth > 0
group by areas.level
order by min(anc.depth)
