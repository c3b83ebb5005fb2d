-- The areas whose agencies (OPD) serve an area: where the area's ASN figures are counted. A kecamatan
-- served by the city's agencies has the city as its home area, and its ASN figures are the city's.
-- Grain: one row per home area. Parameters: $area (Kemendagri code).
select distinct
    home.code,
    home.name
from agencies
join area_ancestors as anc
    on anc.ancestor_code = agencies.area_code
join areas as home
    on home.code = agencies.area_code
where anc.code = $area
order by home.code
