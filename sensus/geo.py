"""Area maps that need no internet and no tile server.

With a boundary file (GeoJSON named by $SENSUS_BOUNDARIES) the child areas are drawn as filled
polygons; each feature is matched to an area by its code in either system (Kemendagri 53.71.01.1001,
BPS 5371010011, in any property) or else by its name, tolerant of case, spacing, hyphens and the
common spelling variants. Features one level deeper than the areas (kelurahan under a kecamatan)
are drawn together as their area. Without a boundary file each area is a circle at its centroid
whose area is proportional to the value.
"""

from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
ASSUMED_MAP_WIDTH_PX = 700  # the narrowest the page gives the map; the height is the figure's

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
    """The GeoJSON FeatureCollection in `path`, checked to hold only polygons in [lon, lat] order;
    raises BoundaryError saying what is wrong and where."""
    path = Path(path)
    try:
        geojson = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BoundaryError("missing", path=path, variable=BOUNDARY_VARIABLE) from None
    except json.JSONDecodeError as error:
        raise BoundaryError("not_json", path=path, error=error) from None
    except (OSError, UnicodeDecodeError) as error:
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
    """The boundary GeoJSON named by $SENSUS_BOUNDARIES, or None when it is not set; the second
    item is a message for the user when the file cannot be used."""
    path = os.environ.get(BOUNDARY_VARIABLE, "").strip()
    if not path:
        return None, None
    try:
        return read_boundary(path), None
    except BoundaryError as error:
        return None, error.message(lang)


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
    codes = []
    for value in properties.values():
        if isinstance(value, bool) or not isinstance(value, str | int):
            continue
        value = str(value).strip()
        if (KEMENDAGRI_CODE.fullmatch(value) or BPS_CODE.fullmatch(value)) and value[:2] in provinces:
            codes.append(value)
    deepest = max(map(code_depth, codes), default=0)
    by_key = {str(key).lower(): value for key, value in properties.items()}
    name = next((str(by_key[key]) for key in NAME_KEYS if by_key.get(key) not in (None, "")), None)
    lons, lats = zip(*(point[:2] for point in points(feature["geometry"])))
    margin_lon, margin_lat = BOUNDS_MARGIN * (max(lons) - min(lons)), BOUNDS_MARGIN * (max(lats) - min(lats))
    bounds = (min(lons) - margin_lon, min(lats) - margin_lat, max(lons) + margin_lon, max(lats) + margin_lat)
    return FeatureInfo(tuple(code for code in codes if code_depth(code) == deepest), name, feature["geometry"], bounds)


@dataclass(frozen=True)
class MatchResult:
    """Which features draw which area. `mapping`: area code -> indexes of its features (one whole
    feature, or the features of its parts), in the order of the areas; `unmatched_features`: the
    labels (name, else code, else #number) of features in view that match no area;
    `unmatched_areas`: the names of areas no feature draws. Features are out of view when their
    codes place them outside the areas' common parent (other kecamatan, the parent's own outline),
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
            if index in used or (info.codes and not in_view[index]) or info.name is None:
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

# Room around the drawn extent, as shares of it (left/right, bottom, top): polygons carry their
# labels inside; circles need room for their radius and for the label above them.
ROOM_POLYGONS = (0.04, 0.04, 0.06)
ROOM_CIRCLES = (0.15, 0.2, 0.35)


def map_figure(
    areas: pd.DataFrame,
    value_column: str,
    lang: str,
    boundary: dict | None,
    *,
    title: str | None = None,
    colour_label: str | None = None,
    format_value: Callable[[float], str] | None = None,
    height: int = 560,
) -> go.Figure:
    """The areas (columns code, name, bps_code, lat, lon and `value_column`) on a map with no base
    layer: polygons coloured by value when `boundary` is given, else circles sized by value; each
    area labelled with its name and value where the label has room (hover names every area).
    When no feature of the boundary matches, the circles are drawn instead. `fig.layout.meta` holds
    the lists "unmatched_areas" and "unmatched_features" (empty without a boundary); they are also
    noted under the map."""
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
    draw_polygons = bool(match.mapping)  # else circles, also when no feature matched at all
    if draw_polygons:
        boundaries = area_boundaries(boundary, match)
        extent = [tuple(point[:2]) for feature in boundaries["features"] for point in points(feature["geometry"])]
        view = view_ranges(extent + centroids, ROOM_POLYGONS)
        offsets = [0.0] * len(areas)
    else:
        notes.append(t("map.circles", lang))
        view = view_ranges(centroids, ROOM_CIRCLES)
        offsets = list(circle_px / 2)
    margin = {"l": 0, "r": 0, "t": 50 if title else 10, "b": 10 + 22 * len(notes)}
    names = [formatting.chart_text(name) for name in areas["name"]]
    texts = [f"{name}<br><b>{value}</b>" for name, value in zip(names, shown)]
    room = labels_with_room(
        centroids,
        [max(len(name), len(value)) for name, value in zip(areas["name"], shown)],
        offsets,
        values,
        view,
        height - margin["t"] - margin["b"],
    )
    labels = {
        "lon": areas["lon"],
        "lat": areas["lat"],
        "text": [label_text if keep else "" for label_text, keep in zip(texts, room)],
        "textfont": LABEL_FONT,
        "customdata": list(zip(names, shown)),
        "hovertemplate": "<b>%{customdata[0]}</b><br>" + label + ": %{customdata[1]}<extra></extra>",
        "showlegend": False,
    }

    figure = go.Figure()
    if draw_polygons:
        drawn = areas["code"].isin(list(match.mapping)) & values.notna()
        # The labels go first: plotly.js fetches its world map from the internet when the first
        # trace on a map has a locationmode, as a choropleth always has, even with the map hidden.
        figure.add_trace(go.Scattergeo(mode="text", **labels))
        figure.add_trace(
            go.Choropleth(
                geojson=boundaries,
                locations=areas.loc[drawn, "code"],
                z=values[drawn],
                zmin=low,
                zmax=high,
                colorscale=COLOUR_SCALE,
                colorbar=colour_bar(label, low, high, format_value),
                marker_line={"color": "white", "width": 1.5},
                customdata=[row for row, keep in zip(labels["customdata"], drawn) if keep],
                hovertemplate=labels["hovertemplate"],
            )
        )
    else:
        figure.add_trace(
            go.Scattergeo(
                mode="markers+text",
                textposition="top center",
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
                    "line": {"color": COLOUR_SCALE[-1], "width": 1},
                },
                **labels,
            )
        )

    figure.update_geos(visible=False, projection_type="mercator", **view)
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
                "yshift": -22 * number,
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


def labels_with_room(centroids, widths_in_characters, offsets_px, values, view, plot_height_px) -> list[bool]:
    """Which labels to write: greedily by value, largest first, each one that does not overlap a
    label already written. Positions are worked out in pixels of the Mercator view, as plotly will
    draw it in a plot of the figure's height and at least ASSUMED_MAP_WIDTH_PX wide; a label sits
    on its point, or above it by `offsets_px` (a circle's radius)."""
    if not view:
        return [True] * len(centroids)

    def mercator(lon, lat):
        return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    (west, south), (east, north) = (
        mercator(view["lonaxis_range"][0], view["lataxis_range"][0]),
        mercator(view["lonaxis_range"][1], view["lataxis_range"][1]),
    )
    scale = min(ASSUMED_MAP_WIDTH_PX / (east - west), plot_height_px / (north - south))
    line = LABEL_FONT["size"] * 1.25
    boxes = []
    for (lon, lat), characters, offset in zip(centroids, widths_in_characters, offsets_px):
        if pd.isna(lon) or pd.isna(lat):
            boxes.append(None)
            continue
        x, y = mercator(lon, lat)
        centre_x, centre_y = (x - west) * scale, (y - south) * scale + (offset + line if offset else 0)
        half_width, half_height = characters * LABEL_FONT["size"] * 0.3, line
        boxes.append((centre_x - half_width, centre_y - half_height, centre_x + half_width, centre_y + half_height))

    written: list[tuple] = []
    keep = [False] * len(boxes)
    for index in sorted(range(len(boxes)), key=lambda i: -values.iloc[i] if pd.notna(values.iloc[i]) else 0):
        box = boxes[index]
        if box and not any(
            box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3] for other in written
        ):
            written.append(box)
            keep[index] = True
    return keep


def points(geometry: dict):
    """Every vertex ([lon, lat], perhaps with a height) of a Polygon or MultiPolygon."""
    for polygon in polygons(geometry):
        for ring in polygon:
            yield from ring


def polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def colour_bar(label: str, low: float, high: float, format_value: Callable[[float], str]) -> dict:
    """The colour key, its ticks round numbers written with the same formatter as the labels."""
    if pd.isna(low) or pd.isna(high):
        return {"title": {"text": label}}
    ticks = round_ticks(low, high)
    return {
        "title": {"text": label},
        "tickvals": ticks,
        "ticktext": [format_value(tick) for tick in ticks],
        "thickness": 16,
        "len": 0.8,
    }


def round_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` ticks between low and high at a step of 1, 2, 2.5 or 5 times a power of ten."""
    if math.isclose(low, high):
        return [low]
    rough = (high - low) / (count - 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(power * factor for factor in (1, 2, 2.5, 5, 10) if power * factor >= rough)
    first = math.ceil(low / step) * step
    return [round(first + step * index, 10) for index in range(int((high - first) / step + 1e-9) + 1)]
