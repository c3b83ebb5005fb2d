"""Area maps that need no internet and no tile server.

With a boundary file (GeoJSON named by $SENSUS_BOUNDARIES) the child areas are drawn as filled
polygons; each feature is matched to an area by its code in either system (Kemendagri 53.71.01.1001,
BPS 5371010011, in any property) or else by its name, tolerant of case, spacing, hyphens and the
common spelling variants. Features one level deeper than the areas (kelurahan under a kecamatan)
are drawn together as their area. Without a boundary file each area is a circle at its centroid
whose area is proportional to the value.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sequential

from sensus import formatting
from sensus.i18n import t

BOUNDARY_VARIABLE = "SENSUS_BOUNDARIES"

# ColorBrewer Blues without its two palest steps (a minimum would vanish into the page): sequential
# in one hue, so it reads the same with every kind of colour blindness and in greyscale.
COLOUR_SCALE = sequential.Blues[2:]
LABEL_FONT = {"size": 15, "color": "#1b1b1b", "shadow": "0 0 3px white, 0 0 3px white, 0 0 2px white"}
LARGEST_CIRCLE_PX = 70
ASSUMED_MAP_WIDTH_PX = 520  # the narrowest the page gives the map (535 px on a 1024 px screen)

# ---------------------------------------------------------------- reading the boundary file


class BoundaryError(ValueError):
    """A boundary file that cannot be drawn; `key` (in the catalog's map.boundary table) and `fields` make
    the message in either language."""

    def __init__(self, key: str, **fields):
        self.key = key
        self.fields = fields
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        return t(f"map.boundary.{self.key}", lang, **self.fields)


def read_boundary(path: str | os.PathLike) -> dict:
    """The GeoJSON FeatureCollection in `path` (gzipped when it ends in .gz), checked to hold only
    polygons in [lon, lat] order; raises BoundaryError saying what is wrong and where."""
    path = Path(path)
    try:
        content = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        geojson = json.loads(content.decode("utf-8"))
    except FileNotFoundError:
        raise BoundaryError("missing", path=path, variable=BOUNDARY_VARIABLE) from None
    except json.JSONDecodeError as error:
        raise BoundaryError("not_json", path=path, error=error) from None
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise BoundaryError("unreadable", path=path, error=error) from None
    if not (
        isinstance(geojson, dict)
        and geojson.get("type") == "FeatureCollection"
        and isinstance(geojson.get("features"), list)
    ):
        found = geojson.get("type") if isinstance(geojson, dict) else type(geojson).__name__
        raise BoundaryError("not_collection", path=path, found=found)
    for number, feature in enumerate(geojson["features"], start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind not in ("Polygon", "MultiPolygon"):
            raise BoundaryError("bad_geometry", path=path, number=number, found=kind)
        try:
            vertices = [(float(lon), float(lat)) for lon, lat, *_ in points(geometry)]
        except (TypeError, ValueError, IndexError, KeyError):
            raise BoundaryError("bad_coordinates", path=path, number=number, found=kind) from None
        if not vertices:
            raise BoundaryError("bad_coordinates", path=path, number=number, found=kind)
        outside = next(((lon, lat) for lon, lat in vertices if not (-180 <= lon <= 180 and -90 <= lat <= 90)), None)
        if outside:
            raise BoundaryError("swapped", path=path, number=number, point=list(outside))
    return geojson


def boundary_from_environment(*, lang: str = "id") -> tuple[dict | None, str | None]:
    """The boundary GeoJSON named by $SENSUS_BOUNDARIES, else the bundled one of Kota Kupang (its
    features match no area elsewhere, where the map draws circles); the second item is a message for
    the user when the file named cannot be used. A file is read once while it is unchanged; the
    collection returned is shared and must not be changed."""
    path = Path(os.environ.get(BOUNDARY_VARIABLE, "").strip() or BUNDLED_BOUNDARIES)
    try:
        stat = path.stat()
        return _read_unchanged(path, stat.st_mtime_ns, stat.st_size), None
    except FileNotFoundError:
        return None, BoundaryError("missing", path=path, variable=BOUNDARY_VARIABLE).message(lang)
    except BoundaryError as error:
        return None, error.message(lang)


@functools.lru_cache(maxsize=4)
def _read_unchanged(path: Path, mtime_ns: int, size: int) -> dict:
    return read_boundary(path)


# ---------------------------------------------------------------- making a boundary file

# Kota Kupang's kelurahan and kecamatan, made with `python -m sensus boundaries` (data/SOURCES.md).
BUNDLED_BOUNDARIES = Path(__file__).resolve().parent.parent / "data" / "boundaries_5371.geojson.gz"
SIMPLIFY_TOLERANCE = 0.0001  # degrees, about 11 m: 2 px on the map of the smallest kecamatan
DECIMALS = 5  # about 1 m


def boundary_file(sources: list[dict], area: str | None = None, tolerance: float = SIMPLIFY_TOLERANCE) -> dict:
    """The app's boundary file from published boundary lists (GeoJSON FeatureCollections): each
    feature keeps only its code (the deepest Kemendagri or BPS code among its properties) and its name;
    its rings are simplified (Douglas-Peucker, `tolerance` degrees) and rounded to DECIMALS. With
    `area`, only the features of that area and below it."""
    features = []
    for geojson in sources:
        for feature in geojson["features"]:
            properties = feature.get("properties") or {}
            codes = [
                str(value).strip()
                for value in properties.values()
                if isinstance(value, str | int)
                and not isinstance(value, bool)
                and (KEMENDAGRI_CODE.fullmatch(str(value).strip()) or BPS_CODE.fullmatch(str(value).strip()))
            ]
            code = max(codes, key=code_depth, default=None)
            if area and not (code == area or (code and is_within(code, area))):
                continue
            by_key = {str(key).lower(): value for key, value in properties.items()}
            name = next((str(by_key[key]) for key in NAME_KEYS if by_key.get(key) not in (None, "")), None)
            geometry = feature["geometry"]
            simple = []
            for polygon in polygons(geometry):
                rings = [simplified(ring, tolerance) for ring in polygon]
                if len(rings[0]) >= 4:  # a sliver smaller than the rounding goes, and a hole as small
                    simple.append([ring for ring in rings if len(ring) >= 4])
            features.append(
                {
                    "type": "Feature",
                    "properties": {key: value for key, value in (("kode", code), ("nama", name)) if value},
                    "geometry": {"type": "MultiPolygon", "coordinates": simple},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def simplified(ring: list, tolerance: float) -> list:
    """A closed ring with the vertices Douglas-Peucker keeps within `tolerance`, rounded; a ring
    that would fall below a triangle keeps all its vertices (fewer than 4 are left only of a ring
    smaller than the rounding)."""
    vertices = [(float(point[0]), float(point[1])) for point in ring]
    keep = {0, len(vertices) - 1}
    spans = [(0, len(vertices) - 1)]
    while spans:
        first, last = spans.pop()
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            away = distance_to_segment(vertices[index], vertices[first], vertices[last])
            if away > distance:
                farthest, distance = index, away
        if farthest is not None:
            keep.add(farthest)
            spans += [(first, farthest), (farthest, last)]
    rounded = []
    for index in sorted(keep) if len(keep) >= 4 else range(len(vertices)):
        point = [round(vertices[index][0], DECIMALS), round(vertices[index][1], DECIMALS)]
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    return rounded


def distance_to_segment(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    length = (x2 - x1) ** 2 + (y2 - y1) ** 2
    share = 0.0 if length == 0 else max(0.0, min(1.0, ((x - x1) * (x2 - x1) + (y - y1) * (y2 - y1)) / length))
    return math.hypot(x - (x1 + share * (x2 - x1)), y - (y1 + share * (y2 - y1)))


# ---------------------------------------------------------------- matching features to areas

KEMENDAGRI_CODE = re.compile(r"\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?")
BPS_CODE = re.compile(r"\d{2}|\d{4}|\d{7}|\d{10}")
BPS_DEPTH = {2: 1, 4: 2, 7: 3, 10: 4}

# Property names that hold a feature's own name, most specific first (BIG's RBI layers use
# NAMOBJ / WADMKD / WADMKC); keys naming a parent (nama_kec in a kelurahan file) come last.
NAME_KEYS = (
    "nama",
    "name",
    "namobj",
    "nama_kelurahan",
    "nama_kel",
    "nama_desa",
    "kelurahan",
    "desa",
    "wadmkd",
    "nama_kecamatan",
    "nama_kec",
    "kecamatan",
    "wadmkc",
)
# A name match also needs the area's centroid near the feature (within its bounding box widened by
# this share) and no other area's centroid inside it: the kelurahan Alak is not the kecamatan Alak
# (nor the other way round), and a namesake elsewhere is not the same place.
BOUNDS_MARGIN = 0.1
# "Kota" stays: BPS tables name Kabupaten Kupang "Kupang" beside "Kota Kupang". Distrik and kampung are
# Papua's kecamatan and desa.
ADMINISTRATIVE_PREFIXES = {
    "kelurahan",
    "kel",
    "desa",
    "ds",
    "kecamatan",
    "kec",
    "kabupaten",
    "kab",
    "distrik",
    "kampung",
}
NUMBER_WORDS = {
    **{
        roman: str(value)
        for value, roman in enumerate(["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"], start=1)
    },
    **{
        word: str(value)
        for value, word in enumerate(
            ["satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh"], start=1
        )
    },
}


def name_key(name: str) -> str:
    """A name reduced to what identifies it: lower case, no accents, spaces or punctuation, an
    administrative prefix dropped, numbers as digits ("Naikoten I", "NAIKOTEN SATU" -> "naikoten1")."""
    ascii_text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    if len(words) > 1 and words[0] in ADMINISTRATIVE_PREFIXES:
        words = words[1:]
    return "".join(NUMBER_WORDS.get(word, word) for word in words)


def loose_key(key: str) -> str:
    """A name key without the spelling choices Indonesian names vary in: a silent h and doubled
    letters ("lahilaibissikopan" and "lailaibisikopan" -> "lailaibisikopan")."""
    return re.sub(r"(.)\1+", r"\1", key.replace("h", ""))


def code_depth(code: str) -> int:
    return code.count(".") + 1 if "." in code else BPS_DEPTH[len(code)]


def parent_code(code: str) -> str:
    """One level up, in the code's own system ("53.71.05.1004" -> "53.71.05", "5371031004" -> "5371031")."""
    if "." in code:
        return code.rsplit(".", 1)[0]
    return code[: {4: 2, 7: 4, 10: 7}.get(len(code), 0)]


def is_within(code: str, ancestor: str) -> bool:
    """Whether `code` lies strictly below `ancestor` in the same code system."""
    if not ancestor or ("." in code) != ("." in ancestor) or len(code) <= len(ancestor):
        return False
    return code.startswith(ancestor + "." if "." in ancestor else ancestor)


@dataclass(frozen=True)
class FeatureInfo:
    codes: tuple[str, ...]  # the feature's most specific codes, in either system
    name: str | None
    geometry: dict
    bounds: tuple[float, float, float, float]  # west, south, east, north, with a margin
    elsewhere: bool = False  # carries Kemendagri codes of other provinces only

    def near(self, lon: float, lat: float) -> bool:
        """Whether the point is within the bounding box (a concave polygon's centroid can lie
        outside the polygon itself); an unknown point is near."""
        west, south, east, north = self.bounds
        return pd.isna(lon) or pd.isna(lat) or (west <= lon <= east and south <= lat <= north)

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the point is inside the polygons (even-odd rule, so holes count as outside)."""
        if pd.isna(lon) or pd.isna(lat) or not self.near(lon, lat):
            return False
        inside = False
        for polygon in polygons(self.geometry):
            for ring in polygon:
                for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:] + ring[:1]):
                    if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                        inside = not inside
        return inside


def describe_feature(feature: dict, provinces: set[str]) -> FeatureInfo:
    properties = feature.get("properties") or {}
    codes, foreign = [], False
    for value in properties.values():
        if isinstance(value, bool) or not isinstance(value, str | int):
            continue
        value = str(value).strip()
        if (KEMENDAGRI_CODE.fullmatch(value) or BPS_CODE.fullmatch(value)) and value[:2] in provinces:
            codes.append(value)
        foreign = foreign or ("." in value and bool(KEMENDAGRI_CODE.fullmatch(value)) and value[:2] not in provinces)
    deepest = max(map(code_depth, codes), default=0)
    by_key = {str(key).lower(): value for key, value in properties.items()}
    name = next((str(by_key[key]) for key in NAME_KEYS if by_key.get(key) not in (None, "")), None)
    lons, lats = zip(*(point[:2] for point in points(feature["geometry"])))
    margin_lon, margin_lat = BOUNDS_MARGIN * (max(lons) - min(lons)), BOUNDS_MARGIN * (max(lats) - min(lats))
    bounds = (min(lons) - margin_lon, min(lats) - margin_lat, max(lons) + margin_lon, max(lats) + margin_lat)
    return FeatureInfo(
        tuple(code for code in codes if code_depth(code) == deepest),
        name,
        feature["geometry"],
        bounds,
        elsewhere=foreign and not codes,
    )


@dataclass(frozen=True)
class MatchResult:
    """Which features draw which area. `mapping`: area code -> indexes of its features (one whole
    feature, or the features of its parts), in the order of the areas; `unmatched_features`: the
    labels (name, else code, else #number) of features in view that match no area;
    `unmatched_areas`: the names of areas no feature draws. Features are out of view when their
    codes place them outside the areas' common parent (other kecamatan, the parent's own outline,
    another province),
    or, without codes, when they contain none of the areas' centroids."""

    mapping: dict[str, tuple[int, ...]]
    unmatched_features: tuple[str, ...]
    unmatched_areas: tuple[str, ...]


def common_parents(areas: pd.DataFrame) -> tuple[str, ...]:
    """The parent the areas share, in each code system they carry (empty when they share none)."""
    parents = []
    for column in ("code", "bps_code"):
        if column in areas:
            found = {parent_code(str(code)) for code in areas[column].dropna()}
            if len(found) == 1 and (parent := found.pop()):
                parents.append(parent)
    return tuple(parents)


def match_features(geojson: dict, areas: pd.DataFrame) -> MatchResult:
    """Match each boundary feature to one of `areas` (columns code, name; bps_code and bps_name
    when known): by code first (the area itself, else its parts below it), then by name."""
    rows = {str(row["code"]): row for row in areas.to_dict("records")}
    area_codes = list(rows)
    own_codes = {
        area: {str(row[key]) for key in ("code", "bps_code") if pd.notna(row.get(key))} for area, row in rows.items()
    }
    names = {area: [row[key] for key in ("name", "bps_name") if pd.notna(row.get(key))] for area, row in rows.items()}
    centroids = {area: (row.get("lon"), row.get("lat")) for area, row in rows.items()}
    provinces = {code[:2] for codes in own_codes.values() for code in codes}
    features = [describe_feature(feature, provinces) for feature in geojson.get("features", [])]
    parents = common_parents(areas)

    def is_in_view(info: FeatureInfo) -> bool:
        if info.elsewhere:
            return False
        if info.codes:
            return not parents or any(is_within(code, parent) for code in info.codes for parent in parents)
        return any(info.contains(*centroid) for centroid in centroids.values())

    in_view = [is_in_view(info) for info in features]

    mapping: dict[str, list[int]] = {}
    used: set[int] = set()
    for area, codes in own_codes.items():
        whole = [index for index, info in enumerate(features) if codes & set(info.codes)]
        parts = [
            index
            for index, info in enumerate(features)
            if any(is_within(code, own) for code in info.codes for own in codes)
        ]
        if whole or parts:
            mapping[area] = whole or parts
            used.update(whole, parts)

    for key_of in (name_key, lambda name: loose_key(name_key(name))):
        area_keys = {area: {key_of(name) for name in names[area]} for area in area_codes}
        for index, info in enumerate(features):
            if index in used or info.elsewhere or (info.codes and not in_view[index]) or info.name is None:
                continue
            key = key_of(info.name)
            candidates = [
                area
                for area in area_codes
                if area not in mapping
                and key in area_keys[area]
                and info.near(*centroids[area])
                and not any(info.contains(*centroids[other]) for other in area_codes if other != area)
            ]
            if len(candidates) == 1:
                mapping[candidates[0]] = [index]
                used.add(index)

    labels = [info.name or (info.codes[0] if info.codes else f"#{index + 1}") for index, info in enumerate(features)]
    return MatchResult(
        mapping={area: tuple(mapping[area]) for area in area_codes if area in mapping},
        unmatched_features=tuple(
            labels[index] for index in range(len(features)) if in_view[index] and index not in used
        ),
        unmatched_areas=tuple(rows[area]["name"] for area in area_codes if area not in mapping),
    )


def area_boundaries(geojson: dict, match: MatchResult) -> dict:
    """A FeatureCollection with one feature per matched area, its id the area code; an area drawn
    by several features (its parts) gets their polygons together as one MultiPolygon."""
    features = geojson["features"]
    collection = []
    for area, indexes in match.mapping.items():
        geometries = [features[index]["geometry"] for index in indexes]
        if len(geometries) == 1:
            geometry = geometries[0]
        else:
            geometry = {
                "type": "MultiPolygon",
                "coordinates": [polygon for part in geometries for polygon in polygons(part)],
            }
        collection.append({"type": "Feature", "id": area, "properties": {}, "geometry": geometry})
    return {"type": "FeatureCollection", "features": collection}


# ---------------------------------------------------------------- the figure


def can_place(areas: pd.DataFrame, boundary: dict | None) -> bool:
    """Whether the map can place any of the areas: by its centroid or by a boundary matching it."""
    located = areas[["lat", "lon"]].notna().all(axis=1).any()
    return bool(located or (boundary is not None and match_features(boundary, areas).mapping))


# Room around the drawn extent, as shares of it (left/right, bottom, top): polygons carry their
# labels inside or beside them; circles need room for their radius and for the label above them.
ROOM_POLYGONS = (0.06, 0.06, 0.08)
ROOM_CIRCLES = (0.15, 0.2, 0.35)
COLOUR_BAR_PX = 70  # the colour key under the map, with its title and ticks
NOTE_PX = 22
CHOSEN_LINE = {"color": "#111111", "width": 4}
LEADER_LINE = {"color": "#555555", "width": 1}
CHARACTER_WIDTH = 0.6  # of the font size: an average character of the label font, generously
LINE_HEIGHT = 1.25  # of the font size
LABEL_PADDING_PX = 2
FARTHEST_LABEL_PX = 220  # how far from its area a label may move to find room, along a leader line


def map_figure(
    areas: pd.DataFrame,
    value_column: str,
    lang: str,
    boundary: dict | None,
    *,
    chosen: str | None = None,
    title: str | None = None,
    colour_label: str | None = None,
    format_value: Callable[[float], str] | None = None,
    height: int = 560,
    width: int = ASSUMED_MAP_WIDTH_PX,
) -> go.Figure:
    """The areas (columns code, name, bps_code, lat, lon and `value_column`) on a map with no base
    layer: polygons coloured by value when `boundary` is given, else circles sized by value. Every
    area located is labelled with its name and value: on its polygon (or above its circle), else
    moved to where there is room along a leader line, else numbered with the number's key under the
    map (hover names every area). The `chosen` area is outlined: drawn among the areas, or around them
    when the boundary holds it. When no feature of the boundary matches, the circles are drawn instead.
    `fig.layout.meta` holds the lists "unmatched_areas" and "unmatched_features" (empty without a
    boundary); they are also noted under the map. The labels are laid out for a plot `width` px wide."""
    label = colour_label or value_column
    format_value = format_value or (lambda value: formatting.number(value, lang))
    values = pd.to_numeric(areas[value_column], errors="coerce")
    shown = [formatting.MISSING if pd.isna(value) else format_value(value) for value in values]
    low, high = values.min(), values.max()
    centroids = list(zip(areas["lon"], areas["lat"]))
    sizes = values.clip(lower=0).fillna(0)
    circle_px = (sizes / sizes.max()) ** 0.5 * LARGEST_CIRCLE_PX if sizes.max() > 0 else sizes

    match = match_features(boundary, areas) if boundary is not None else MatchResult({}, (), ())
    unmatched = {"unmatched_areas": list(match.unmatched_areas), "unmatched_features": list(match.unmatched_features)}
    notes = [
        t(f"map.{key}", lang, names=listing([formatting.chart_text(name) for name in names]))
        for key, names in unmatched.items()
        if names
    ]
    names = [formatting.chart_text(name) for name in areas["name"]]
    draw_polygons = bool(match.mapping)  # else circles, also when no feature matched at all
    outline = None
    if draw_polygons:
        boundaries = area_boundaries(boundary, match)
        shapes = {feature["id"]: feature["geometry"] for feature in boundaries["features"]}
        extent = [tuple(point[:2]) for geometry in shapes.values() for point in points(geometry)]
        view = view_ranges(extent + centroids, ROOM_POLYGONS)
        anchors = [
            label_point(shapes[code]) if code in shapes else centroid
            for code, centroid in zip(areas["code"], centroids)
        ]
        lifts = [0.0] * len(areas)
        outline = shapes.get(chosen) or feature_geometry(boundary, chosen)
        if outline is not None:
            chosen_name = (
                names[list(areas["code"]).index(chosen)] if chosen in shapes else feature_name(boundary, chosen)
            )
            notes.append(t("map.chosen", lang, area=chosen_name))
    else:
        notes.append(t("map.circles", lang))
        view = view_ranges(centroids, ROOM_CIRCLES)
        anchors = centroids
        lifts = list(circle_px / 2)

    texts = [f"{name}<br><b>{value}</b>" for name, value in zip(names, shown)]
    margin = {"l": 0, "r": 0, "t": 50 if title else 10, "b": 10 + COLOUR_BAR_PX + NOTE_PX * len(notes)}
    frame = MapFrame.of(view, width, height - margin["t"] - margin["b"])
    order = sorted(range(len(areas)), key=lambda index: -values.iloc[index] if pd.notna(values.iloc[index]) else 0)
    placed = place_labels(frame, anchors, [label_size(text) for text in texts], lifts, order)
    numbered = [index for index, place in enumerate(placed) if place is None and frame.holds(anchors[index])]
    for number, index in enumerate(numbered, start=1):
        texts[index], placed[index] = str(number), frame.to_px(*anchors[index])
    if numbered:  # the key goes under the map, the figure taller by its line
        key = ", ".join(f"{number} {names[index]}" for number, index in enumerate(numbered, start=1))
        notes.append(t("map.numbered", lang, names=key))
        height, margin["b"] = height + NOTE_PX, margin["b"] + NOTE_PX

    customdata = list(zip(names, shown))
    hovertemplate = "<b>%{customdata[0]}</b><br>" + label + ": %{customdata[1]}<extra></extra>"
    label_places = [frame.to_lonlat(*place) if place else (None, None) for place in placed]
    figure = go.Figure()
    if not draw_polygons:
        chosen_rows = areas["code"] == chosen
        figure.add_trace(
            go.Scattergeo(
                name="areas",
                lon=areas["lon"],
                lat=areas["lat"],
                mode="markers",
                marker={
                    "size": circle_px,
                    "sizemin": 3,
                    "color": values,
                    "cmin": low,
                    "cmax": high,
                    "colorscale": COLOUR_SCALE,
                    "colorbar": colour_bar(label, low, high, format_value),
                    "showscale": True,
                    "opacity": 0.85,
                    "line": {
                        "color": [CHOSEN_LINE["color"] if row else COLOUR_SCALE[-1] for row in chosen_rows],
                        "width": [CHOSEN_LINE["width"] if row else 1 for row in chosen_rows],
                    },
                },
                customdata=customdata,
                hovertemplate=hovertemplate,
                showlegend=False,
            )
        )
    if outline is not None:  # first on the map, before any choropleth (see below)
        lons, lats = ring_lines(outline)
        figure.add_trace(
            go.Scattergeo(
                name="chosen", lon=lons, lat=lats, mode="lines", line=CHOSEN_LINE, hoverinfo="skip", showlegend=False
            )
        )
    leaders = leader_lines(frame, anchors, placed, [label_size(text) for text in texts], lifts)
    if leaders:
        lons, lats = leaders
        figure.add_trace(
            go.Scattergeo(
                name="leaders", lon=lons, lat=lats, mode="lines", line=LEADER_LINE, hoverinfo="skip", showlegend=False
            )
        )
    figure.add_trace(
        go.Scattergeo(
            name="labels",
            lon=[lon for lon, _ in label_places],
            lat=[lat for _, lat in label_places],
            mode="text",
            text=texts,
            textfont=LABEL_FONT,
            customdata=customdata,
            hovertemplate=hovertemplate,
            showlegend=False,
        )
    )
    if draw_polygons:
        drawn = areas["code"].isin(list(match.mapping)) & values.notna()
        # Last: plotly.js fetches its world map from the internet when the first trace on a map has a
        # locationmode, as a choropleth always has, even with the map hidden.
        figure.add_trace(
            go.Choropleth(
                name="areas",
                geojson=boundaries,
                locations=areas.loc[drawn, "code"],
                z=values[drawn],
                zmin=low,
                zmax=high,
                colorscale=COLOUR_SCALE,
                colorbar=colour_bar(label, low, high, format_value),
                marker_line={"color": "white", "width": 1.5},
                customdata=[row for row, keep in zip(customdata, drawn) if keep],
                hovertemplate=hovertemplate,
            )
        )

    figure.update_geos(visible=False, projection_type="mercator", **(frame.view() if view else {}))
    figure.update_layout(
        title={"text": formatting.chart_text(title)} if title else None,
        height=height,
        margin=margin,
        separators=formatting.plotly_separators(lang),
        meta=unmatched,
        annotations=[
            {
                "text": note,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -COLOUR_BAR_PX - NOTE_PX * number,
                "xanchor": "left",
                "yanchor": "top",
                "font": {"size": 13},
            }
            for number, note in enumerate(notes)
        ],
    )
    return figure


def listing(names: list[str], shown: int = 6) -> str:
    """The first few names, and how many more there are."""
    more = f" (+{len(names) - shown})" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def view_ranges(extent: list[tuple[float, float]], room: tuple[float, float, float]) -> dict:
    """Longitude and latitude ranges around the (lon, lat) points with room for the labels
    (plotly's own fitbounds leaves none and cuts the labels at the edge)."""
    extent = [(lon, lat) for lon, lat in extent if pd.notna(lon) and pd.notna(lat)]
    if not extent:
        return {}
    lons, lats = zip(*extent)
    width = max(max(lons) - min(lons), 0.01)
    height = max(max(lats) - min(lats), 0.01)
    sides, bottom, top = room
    return {
        "lonaxis_range": [min(lons) - sides * width, max(lons) + sides * width],
        "lataxis_range": [min(lats) - bottom * height, max(lats) + top * height],
    }


def mercator(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


@dataclass(frozen=True)
class MapFrame:
    """Where plotly draws a (lon, lat), in pixels from the lower left corner of a plot `width` x
    `height` px: the Mercator extent of a view scaled to fit the plot, centred in it and widened to
    fill it (plotly clips text at the edge of the map's extent, not the plot's)."""

    west: float
    south: float
    scale: float
    width: float
    height: float

    @classmethod
    def of(cls, view: dict, width: float, height: float) -> MapFrame:
        if not view:
            return cls(0, 0, 1, width, height)
        (west, south), (east, north) = (
            mercator(view["lonaxis_range"][0], view["lataxis_range"][0]),
            mercator(view["lonaxis_range"][1], view["lataxis_range"][1]),
        )
        scale = min(width / (east - west), height / (north - south))
        return cls(
            (west + east) / 2 - width / scale / 2, (south + north) / 2 - height / scale / 2, scale, width, height
        )

    def view(self) -> dict:
        """The longitude and latitude ranges that fill the plot."""
        (west, south), (east, north) = self.to_lonlat(0, 0), self.to_lonlat(self.width, self.height)
        return {"lonaxis_range": [west, east], "lataxis_range": [south, north]}

    def to_px(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = mercator(lon, lat)
        return (x - self.west) * self.scale, (y - self.south) * self.scale

    def to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        lon = math.degrees(self.west + x / self.scale)
        lat = math.degrees(2 * math.atan(math.exp(self.south + y / self.scale)) - math.pi / 2)
        return lon, lat

    def holds(self, point: tuple[float, float]) -> bool:
        return pd.notna(point[0]) and pd.notna(point[1])


def label_size(text: str) -> tuple[float, float]:
    """The width and height in px of a label's text (lines split at <br>, bold tags not counted)."""
    lines = re.sub(r"</?b>", "", text).split("<br>")
    font = LABEL_FONT["size"]
    return max(map(len, lines)) * font * CHARACTER_WIDTH, len(lines) * font * LINE_HEIGHT


def place_labels(frame: MapFrame, anchors, sizes, lifts, order) -> list[tuple[float, float] | None]:
    """The centre in px of each label, laid out in `order` where it overlaps no label laid out
    before it and covers no other area's anchor, inside the plot: on its anchor (`lifts` px above
    it), else the nearest place around it within FARTHEST_LABEL_PX; None where there is none."""
    points_px = [frame.to_px(*anchor) if frame.holds(anchor) else None for anchor in anchors]
    boxes: list[tuple[float, float, float, float]] = []
    placed: list[tuple[float, float] | None] = [None] * len(anchors)
    for index in order:
        if points_px[index] is None:
            continue
        (x, y), (width, height) = points_px[index], sizes[index]
        others = [point for number, point in enumerate(points_px) if point and number != index]
        for dx, dy in around(step=height / 2):
            centre = (x + dx, y + lifted(lifts[index], height) + dy)
            box = (
                centre[0] - width / 2 - LABEL_PADDING_PX,
                centre[1] - height / 2 - LABEL_PADDING_PX,
                centre[0] + width / 2 + LABEL_PADDING_PX,
                centre[1] + height / 2 + LABEL_PADDING_PX,
            )
            if (
                box[0] >= 0
                and box[2] <= frame.width
                and box[1] >= 0
                and box[3] <= frame.height
                and not any(overlap(box, other) for other in boxes)
                and not any(box[0] <= px <= box[2] and box[1] <= py <= box[3] for px, py in others)
            ):
                boxes.append(box)
                placed[index] = centre
                break
    return placed


def around(step: float):
    """Offsets (dx, dy) in px from (0, 0) outwards in rings `step` apart up to FARTHEST_LABEL_PX,
    each ring from straight above round both ways."""
    yield 0.0, 0.0
    radius = step
    while radius <= FARTHEST_LABEL_PX:
        count = max(8, int(2 * math.pi * radius / step))
        for turn in sorted(range(count), key=lambda turn: min(turn, count - turn)):
            angle = math.pi / 2 + 2 * math.pi * turn / count
            yield radius * math.cos(angle), radius * math.sin(angle)
        radius += step


def overlap(box, other) -> bool:
    return box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]


def lifted(lift: float, height: float) -> float:
    """How far above its anchor a label's centre sits at home: on it, or over a circle of radius `lift`."""
    return lift + height / 2 if lift else 0.0


def leader_lines(frame: MapFrame, anchors, placed, sizes, lifts) -> tuple[list, list] | None:
    """Lines (lon and lat lists, None between lines) from each anchor to its label where the label
    was moved from its home off the anchor: to the nearest point of the label's box."""
    lons: list = []
    lats: list = []
    for anchor, place, (width, height), lift in zip(anchors, placed, sizes, lifts):
        if place is None or not frame.holds(anchor):
            continue
        x, y = frame.to_px(*anchor)
        nearest = (
            min(max(x, place[0] - width / 2), place[0] + width / 2),
            min(max(y, place[1] - height / 2), place[1] + height / 2),
        )
        moved = math.dist(place, (x, y + lifted(lift, height))) > 0.5
        if moved and math.dist((x, y), nearest) > LABEL_PADDING_PX:
            end = frame.to_lonlat(*nearest)
            lons += [anchor[0], end[0], None]
            lats += [anchor[1], end[1], None]
    return (lons, lats) if lons else None


def label_point(geometry: dict) -> tuple[float, float]:
    """A point well inside the largest polygon, where its label goes (a concave area's centroid can
    lie outside it). Worked out once per geometry (about 10 ms for a kelurahan; writing the geometry out as the
    key costs a fiftieth of that)."""
    return _label_point(json.dumps(geometry))


@functools.lru_cache(maxsize=1024)
def _label_point(geometry_json: str, grid: int = 40) -> tuple[float, float]:
    """Of a grid over the largest polygon's bounds, the point inside farthest from its edges."""
    polygon = max(polygons(json.loads(geometry_json)), key=lambda rings: abs(ring_area(rings[0])))
    x1, y1, x2, y2 = np.array(
        [[ring[i][0], ring[i][1], ring[i - 1][0], ring[i - 1][1]] for ring in polygon for i in range(len(ring))]
    ).T[:, :, None]
    xs, ys = np.meshgrid(np.linspace(x1.min(), x1.max(), grid), np.linspace(y1.min(), y1.max(), grid))
    px, py = xs.ravel()[None, :], ys.ravel()[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        crossings = ((y1 > py) != (y2 > py)) & (px < x1 + (py - y1) * (x2 - x1) / (y2 - y1))
        length = (x2 - x1) ** 2 + (y2 - y1) ** 2
        share = np.clip(((px - x1) * (x2 - x1) + (py - y1) * (y2 - y1)) / np.where(length == 0, 1, length), 0, 1)
    distance = np.hypot(px - (x1 + share * (x2 - x1)), py - (y1 + share * (y2 - y1))).min(axis=0)
    distance[crossings.sum(axis=0) % 2 == 0] = -1
    best = int(distance.argmax())
    return float(px[0, best]), float(py[0, best])


def ring_area(ring: list) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:] + ring[:1])) / 2


def ring_lines(geometry: dict) -> tuple[list, list]:
    """A geometry's rings as lon and lat lists, None between rings."""
    lons: list = []
    lats: list = []
    for polygon in polygons(geometry):
        for ring in polygon:
            lons += [point[0] for point in ring] + [None]
            lats += [point[1] for point in ring] + [None]
    return lons, lats


def feature_geometry(boundary: dict | None, code: str | None) -> dict | None:
    """The geometry of the boundary's feature of the area `code`, if it has one."""
    feature = coded_feature(boundary, code)
    return feature["geometry"] if feature else None


def feature_name(boundary: dict | None, code: str | None) -> str:
    feature = coded_feature(boundary, code)
    return formatting.chart_text(describe_feature(feature, {code[:2]}).name or code)


def coded_feature(boundary: dict | None, code: str | None) -> dict | None:
    if boundary is None or not code:
        return None
    return next(
        (feature for feature in boundary["features"] if code in describe_feature(feature, {code[:2]}).codes), None
    )


def points(geometry: dict):
    """Every vertex ([lon, lat], perhaps with a height) of a Polygon or MultiPolygon."""
    for polygon in polygons(geometry):
        for ring in polygon:
            yield from ring


def polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def colour_bar(label: str, low: float, high: float, format_value: Callable[[float], str]) -> dict:
    """The colour key under the map (beside it, it would take a phone's map a quarter of its width),
    its ticks round numbers written with the same formatter as the labels."""
    placement = {
        "orientation": "h",
        "x": 0.5,
        "xanchor": "center",
        "y": 0,
        "yanchor": "top",
        "ypad": 16,
        "thickness": 14,
        "len": 0.8,
        "title": {"text": label, "side": "top"},
    }
    if pd.isna(low) or pd.isna(high):
        return placement
    ticks = round_ticks(low, high)
    return {**placement, "tickvals": ticks, "ticktext": [format_value(tick) for tick in ticks]}


def round_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` ticks between low and high at a step of 1, 2, 2.5 or 5 times a power of ten."""
    if math.isclose(low, high):
        return [low]
    rough = (high - low) / (count - 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(power * factor for factor in (1, 2, 2.5, 5, 10) if power * factor >= rough)
    first = math.ceil(low / step) * step
    return [round(first + step * index, 10) for index in range(int((high - first) / step + 1e-9) + 1)]
