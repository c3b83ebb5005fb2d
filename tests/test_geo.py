"""The offline map: reading a boundary file, matching its features to areas, and the figure.

The boundaries are unit squares written inline. The areas are six kelurahan of an invented
kecamatan 99.01.01 (BPS 9901010), named the way the two code lists spell Kupang's names; then Kota
Kupang's bundled boundaries, with its areas as data/areas_5371.csv lists them."""

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from sensus import geo

AREAS = pd.DataFrame(
    [
        # code, bps_code, name, bps_name, lon, lat, persons
        ("99.01.01.1001", "9901010001", "Naikoten Satu", "NAIKOTEN I", 0.5, 0.5, 400),
        ("99.01.01.1002", "9901010002", "Bakunase Dua", "BAKUNASE II", 1.5, 0.5, 100),
        ("99.01.01.1003", "9901010003", "Airnona", "AIR NONA", 2.5, 0.5, 1600),
        ("99.01.01.1004", "9901010004", "Lai Lai Bisi Kopan", "LAHILAI BISSI KOPAN", 0.5, 1.5, 900),
        ("99.01.01.1005", "9901010005", "Batu Plat", "BATUPLAT", 1.5, 1.5, 2500),
        ("99.01.01.1006", "9901010006", "Oepura", "OEPURA", 2.5, 1.5, 3600),
    ],
    columns=["code", "bps_code", "name", "bps_name", "lon", "lat", "persons"],
)
NAIKOTEN, BAKUNASE, AIRNONA, LLBK, BATUPLAT, OEPURA = AREAS["code"]


def square(west: float, south: float) -> dict:
    ring = [[west, south], [west + 1, south], [west + 1, south + 1], [west, south + 1], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(*features: tuple[dict, dict]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": properties, "geometry": geometry} for properties, geometry in features
        ],
    }


KELURAHAN = collection(
    ({"kode_kemendagri": "99.01.01.1001", "nama": "Naikoten"}, square(0, 0)),  # 0 Kemendagri code
    ({"NAMA": "Bakunase  II"}, square(1, 0)),  # 1 roman numeral, spacing
    ({"KDPBPS": 9901010003, "WADMKD": "Air Nona"}, square(2, 0)),  # 2 BPS code as a number
    ({"name": "Lai-Lai Bissi Kopan"}, square(0, 1)),  # 3 loose spelling
    ({"nama": "KELURAHAN batu plat", "nama_kec": "Kota Raja"}, square(1, 1)),  # 4 prefix, case
    ({"nama": "Kolhua"}, square(2, 1)),  # 5 no such area
    ({"kode_kemendagri": "99.01.02.1001", "nama": "Oepura"}, square(5, 5)),  # 6 another kecamatan
    ({"kode_kemendagri": "99.01.01", "nama": "Kecamatan 99.01.01"}, square(0, 0)),  # 7 the parent's outline
)


def test_features_match_by_code_in_either_system_or_by_name_variant():
    assert geo.match_features(KELURAHAN, AREAS) == geo.MatchResult(
        mapping={NAIKOTEN: (0,), BAKUNASE: (1,), AIRNONA: (2,), LLBK: (3,), BATUPLAT: (4,)},
        unmatched_features=("Kolhua",),
        unmatched_areas=("Oepura",),
    )


def test_name_matching_uses_both_spellings_of_the_area():
    names_only = collection(
        ({"nama": "Naikoten 1"}, square(0, 0)),
        ({"nama": "bakunase-dua"}, square(1, 0)),
        ({"nama": "AIRNONA"}, square(2, 0)),
        ({"nama": "Lahilai Bissi Kopan"}, square(0, 1)),
        ({"nama": "Batuplat"}, square(1, 1)),
        ({"nama": "Oe Pura"}, square(2, 1)),
        ({}, square(0, 0)),
    )
    assert geo.match_features(names_only, AREAS) == geo.MatchResult(
        mapping={NAIKOTEN: (0,), BAKUNASE: (1,), AIRNONA: (2,), LLBK: (3,), BATUPLAT: (4,), OEPURA: (5,)},
        unmatched_features=("#7",),
        unmatched_areas=(),
    )


TWINS = AREAS.assign(name=["Sama", "Sama", "Airnona", "Lai Lai Bisi Kopan", "Batu Plat", "Oepura"], bps_name=None)


def test_a_name_matches_the_namesake_whose_centroid_the_polygon_covers():
    found = geo.match_features(collection(({"nama": "sama"}, square(1, 0))), TWINS)
    assert found == geo.MatchResult(
        mapping={BAKUNASE: (0,)},
        unmatched_features=(),
        unmatched_areas=("Sama", "Airnona", "Lai Lai Bisi Kopan", "Batu Plat", "Oepura"),
    )


def test_a_polygon_covering_two_namesakes_matches_neither():
    both_twins = {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 1], [0, 1], [0, 0]]]}
    found = geo.match_features(collection(({"nama": "sama"}, both_twins)), TWINS)
    assert found == geo.MatchResult(mapping={}, unmatched_features=("sama",), unmatched_areas=tuple(TWINS["name"]))


KECAMATAN = pd.DataFrame(
    [("99.01.01", "9901010", "Barat", 1.0, 0.5, 70), ("99.01.02", "9901020", "Timur", 3.5, 0.5, 40)],
    columns=["code", "bps_code", "name", "lon", "lat", "persons"],
)


def test_a_kelurahan_file_draws_each_kecamatan_from_its_kelurahan():
    kelurahan = collection(
        ({"kode": "99.01.01.1001", "nama_kec": "Barat"}, square(0, 0)),
        ({"kode_bps": "9901010002"}, square(1, 0)),
        ({"kode": "99.01.02.1001"}, square(3, 0)),
        ({"kode": "99.02.01.1001"}, square(9, 9)),  # another regency: out of view
    )
    match = geo.match_features(kelurahan, KECAMATAN)
    assert match == geo.MatchResult(
        mapping={"99.01.01": (0, 1), "99.01.02": (2,)}, unmatched_features=(), unmatched_areas=()
    )
    assert geo.area_boundaries(kelurahan, match) == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "99.01.01",
                "properties": {},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [square(0, 0)["coordinates"], square(1, 0)["coordinates"]],
                },
            },
            {"type": "Feature", "id": "99.01.02", "properties": {}, "geometry": square(3, 0)},
        ],
    }


def test_a_kecamatan_polygon_wins_over_its_kelurahan():
    both = collection(
        ({"kode": "99.01.01.1001"}, square(0, 0)),
        ({"kode": "99.01.01"}, square(0, 0)),
        ({"kode": "99.01.02"}, square(3, 0)),
    )
    assert geo.match_features(both, KECAMATAN) == geo.MatchResult(
        mapping={"99.01.01": (1,), "99.01.02": (2,)}, unmatched_features=(), unmatched_areas=()
    )


def test_a_kelurahan_is_not_taken_for_the_kecamatan_of_the_same_name_nor_the_other_way_round():
    small = {"type": "Polygon", "coordinates": [[[0.1, 0.1], [0.3, 0.1], [0.3, 0.3], [0.1, 0.1]]]}
    found = geo.match_features(collection(({"nama": "Barat"}, small)), KECAMATAN)
    assert found == geo.MatchResult(mapping={}, unmatched_features=(), unmatched_areas=("Barat", "Timur"))
    whole_kecamatan = {"type": "Polygon", "coordinates": [[[0, 0], [3, 0], [3, 2], [0, 2], [0, 0]]]}
    found = geo.match_features(collection(({"nama": "Batu Plat"}, whole_kecamatan)), AREAS)
    assert found == geo.MatchResult(mapping={}, unmatched_features=("Batu Plat",), unmatched_areas=tuple(AREAS["name"]))


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Naikoten I", "naikoten1"),
        ("NAIKOTEN SATU", "naikoten1"),
        ("Kel. Penkase-Oeleta", "penkaseoeleta"),
        ("Kota Raja", "kotaraja"),
        ("Kelurahan", "kelurahan"),
        ("Tode  Kisar", "todekisar"),
    ],
)
def test_name_key(name, key):
    assert geo.name_key(name) == key


def test_map_with_boundary_colours_the_matched_areas_and_notes_the_rest():
    figure = geo.map_figure(AREAS, "persons", "id", KELURAHAN, colour_label="Penduduk")
    labels, choropleth = figure.data
    # The labels come first: with a choropleth first, plotly.js would fetch a world map online.
    assert (labels.type, labels.mode, choropleth.type) == ("scattergeo", "text", "choropleth")
    assert list(choropleth.locations) == [NAIKOTEN, BAKUNASE, AIRNONA, LLBK, BATUPLAT]
    assert list(choropleth.z) == [400, 100, 1600, 900, 2500]
    assert (choropleth.zmin, choropleth.zmax) == (100, 3600)
    assert [feature["id"] for feature in choropleth.geojson["features"]] == list(choropleth.locations)
    assert list(labels.text) == [
        "Naikoten Satu<br><b>400</b>",
        "Bakunase Dua<br><b>100</b>",
        "Airnona<br><b>1.600</b>",
        "Lai Lai Bisi Kopan<br><b>900</b>",
        "Batu Plat<br><b>2.500</b>",
        "Oepura<br><b>3.600</b>",
    ]
    assert list(choropleth.colorbar.ticktext) == ["1.000", "2.000", "3.000"]
    assert labels.hovertemplate == "<b>%{customdata[0]}</b><br>Penduduk: %{customdata[1]}<extra></extra>"
    assert choropleth.hovertemplate == labels.hovertemplate
    assert figure.layout.meta == {"unmatched_areas": ["Oepura"], "unmatched_features": ["Kolhua"]}
    assert [note.text for note in figure.layout.annotations] == [
        "Tanpa batas di berkas: Oepura",
        "Batas tanpa wilayah yang cocok: Kolhua",
    ]
    assert figure.layout.separators == ",."


def test_map_without_boundary_draws_circles_with_area_proportional_to_value():
    figure = geo.map_figure(AREAS, "persons", "en", None, format_value=lambda value: f"{value:,.0f} people")
    circles, labels = figure.data[0], figure.data[-1]  # between them, leader lines to labels moved to find room
    assert [(circles.type, circles.mode), (labels.type, labels.mode)] == [
        ("scattergeo", "markers"),
        ("scattergeo", "text"),
    ]
    # diameters 70 px * sqrt(value / 3600): 20/60, 10/60, 40/60, 30/60, 50/60 and 60/60 of 70
    assert [round(size, 6) for size in circles.marker.size] == [
        round(70 * share, 6) for share in (20 / 60, 10 / 60, 40 / 60, 30 / 60, 50 / 60, 1)
    ]
    assert list(circles.marker.color) == [400, 100, 1600, 900, 2500, 3600]
    assert labels.text[-1] == "Oepura<br><b>3,600 people</b>"
    assert figure.layout.meta == {"unmatched_areas": [], "unmatched_features": []}
    assert [note.text for note in figure.layout.annotations] == ["Circle area is proportional to the value"]
    assert figure.layout.separators == ".,"


def test_a_boundary_matching_no_area_gives_circles_and_says_so():
    elsewhere = collection(({"nama": "Kolhua"}, square(0, 0)))
    figure = geo.map_figure(AREAS, "persons", "en", elsewhere)
    assert [trace.name for trace in figure.data if trace.name != "leaders"] == ["areas", "labels"]
    assert figure.data[0].mode == "markers"
    assert figure.layout.meta == {"unmatched_areas": list(AREAS["name"]), "unmatched_features": ["Kolhua"]}
    assert [note.text for note in figure.layout.annotations] == [
        "No boundary in the file for: Naikoten Satu, Bakunase Dua, Airnona, Lai Lai Bisi Kopan, Batu Plat, Oepura",
        "Boundaries matching no area: Kolhua",
        "Circle area is proportional to the value",
    ]


def test_of_two_labels_in_one_place_the_smaller_value_moves_along_a_leader_line():
    crowded = AREAS.head(2).assign(lon=0.5, lat=0.5)
    circles, leaders, labels = geo.map_figure(crowded, "persons", "id", None).data
    assert list(labels.text) == ["Naikoten Satu<br><b>400</b>", "Bakunase Dua<br><b>100</b>"]
    assert leaders.name == "leaders"
    assert (leaders.lon[0], leaders.lat[0], leaders.lon[2]) == (0.5, 0.5, None)  # one line, from the shared place
    assert labels.lat[0] > 0.5 and labels.lat[1] != labels.lat[0]  # the larger above its circle, the smaller elsewhere


def test_missing_values_are_labelled_and_left_uncoloured():
    partial = AREAS.assign(persons=[400, None, 1600, 900, 2500, 3600])
    labels, choropleth = geo.map_figure(partial, "persons", "id", KELURAHAN).data
    assert list(choropleth.locations) == [NAIKOTEN, AIRNONA, LLBK, BATUPLAT]
    assert labels.text[1] == "Bakunase Dua<br><b>–</b>"


def test_a_long_list_of_unmatched_names_is_cut_short():
    assert geo.listing(["A", "B", "C", "D", "E", "F", "G", "H"]) == "A, B, C, D, E, F (+2)"
    assert geo.listing(["A", "B"]) == "A, B"


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (37049, 107441, [40000, 60000, 80000, 100000]),
        (0.123, 0.871, [0.2, 0.4, 0.6, 0.8]),
        (0, 1, [0, 0.25, 0.5, 0.75, 1]),
        (5, 5, [5]),
    ],
)
def test_round_ticks(low, high, ticks):
    assert geo.round_ticks(low, high) == ticks


def test_kota_kupang_boundaries_without_the_setting(monkeypatch):
    monkeypatch.delenv(geo.BOUNDARY_VARIABLE, raising=False)
    assert geo.boundary_from_environment() == (geo.read_boundary(geo.BUNDLED_BOUNDARIES), None)


def test_boundary_named_by_the_setting(monkeypatch, tmp_path):
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps(KELURAHAN))
    monkeypatch.setenv(geo.BOUNDARY_VARIABLE, str(path))
    assert geo.boundary_from_environment() == (KELURAHAN, None)


@pytest.mark.parametrize(
    ("content", "lang", "message"),
    [
        (None, "id", "Berkas batas wilayah {path} (dari SENSUS_BOUNDARIES) tidak ditemukan."),
        (
            '{"type": "FeatureCollection" "features": []}',
            "en",
            "Boundary file {path} is not valid JSON: Expecting ',' delimiter: line 1 column 30 (char 29).",
        ),
        ("[1, 2]", "en", "Boundary file {path} is not a GeoJSON FeatureCollection (its top level: list)."),
        (
            '{"type": "Feature", "geometry": null}',
            "id",
            "Berkas batas wilayah {path} bukan GeoJSON FeatureCollection (bagian atasnya: Feature).",
        ),
        (
            json.dumps(
                collection(({}, square(0, 0)), ({}, {"type": "Point", "coordinates": [1, 2]})),
            ),
            "en",
            "Boundary file {path}, feature 2: geometry Point; expected Polygon or MultiPolygon.",
        ),
        (
            json.dumps(
                collection(({}, {"type": "Polygon", "coordinates": [[[-10.2, 123.6], [-10.1, 123.6], [-10.2, 123.7]]]}))
            ),
            "id",
            "Berkas batas wilayah {path}, fitur ke-1: titik [-10.2, 123.6] bukan [bujur, lintang]; "
            "GeoJSON menulis bujur lebih dulu.",
        ),
        (
            json.dumps(collection(({}, {"type": "MultiPolygon", "coordinates": [[["a", "b"]]]}))),
            "en",
            "Boundary file {path}, feature 1: the MultiPolygon coordinates cannot be read; "
            "expected rings of [longitude, latitude] points.",
        ),
    ],
)
def test_a_broken_boundary_file_gives_a_message_not_an_exception(monkeypatch, tmp_path, content, lang, message):
    path = tmp_path / "batas.geojson"
    if content is not None:
        path.write_text(content)
    monkeypatch.setenv(geo.BOUNDARY_VARIABLE, str(path))
    assert geo.boundary_from_environment(lang=lang) == (None, message.format(path=path))


def test_a_boundary_error_reads_in_either_language_and_in_no_other(tmp_path):
    path = tmp_path / "batas.geojson"
    error = geo.BoundaryError("missing", path=path, variable=geo.BOUNDARY_VARIABLE)
    assert (str(error), error.message("en"), error.message("id")) == (
        f"Boundary file {path} (from SENSUS_BOUNDARIES) not found.",
        f"Boundary file {path} (from SENSUS_BOUNDARIES) not found.",
        f"Berkas batas wilayah {path} (dari SENSUS_BOUNDARIES) tidak ditemukan.",
    )
    with pytest.raises(KeyError, match="'fr'"):
        error.message("fr")


# ---------------------------------------------------------------- Kota Kupang's bundled boundaries

KUPANG = pd.read_csv(Path(__file__).parent.parent / "data" / "areas_5371.csv", dtype={"code": str, "bps_code": str})
KOTA_LAMA = KUPANG[KUPANG["parent_code"] == "53.71.06"].assign(
    persons=lambda frame: range(1000, 1000 + 100 * len(frame), 100)
)
MERDEKA = KUPANG.loc[KUPANG["name"] == "Merdeka", "code"].item()


def inside(lon: float, lat: float, geometry: dict) -> bool:
    """Even-odd rule over every ring: a ray eastward from the point crosses the rings an odd number of times."""
    crossings = 0
    rings = [ring for polygon in geometry["coordinates"] for ring in polygon]
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


def test_the_bundled_boundaries_are_kota_kupangs_kelurahan_and_kecamatan():
    features = geo.read_boundary(geo.BUNDLED_BOUNDARIES)["features"]
    codes = [feature["properties"]["kode"] for feature in features]
    assert sorted(codes) == sorted(KUPANG.loc[KUPANG["level"] != "regency", "code"])  # 6 kecamatan, 51 kelurahan
    assert sum(code.count(".") == 3 for code in codes) == 51
    assert geo.BUNDLED_BOUNDARIES.stat().st_size < 50_000


def test_the_simplified_polygons_still_hold_their_centroids():
    shapes = {
        feature["properties"]["kode"]: feature["geometry"]
        for feature in geo.read_boundary(geo.BUNDLED_BOUNDARIES)["features"]
    }
    # Alak's published centroid lies outside its crescent even in the source polygon.
    held = [
        row.code
        for row in KUPANG[KUPANG["level"] != "regency"].itertuples()
        if inside(row.lon, row.lat, shapes[row.code])
    ]
    assert len(held) == 56 and "53.71.01" not in held


def test_douglas_peucker_drops_a_vertex_within_the_tolerance_and_keeps_one_beyond():
    # A 0.01 degree square with a vertex 0.00003 off the middle of its south side and one 0.0003 off the east side.
    ring = [[0, 0], [0.005, -0.00003], [0.01, 0], [0.0103, 0.005], [0.01, 0.01], [0, 0.01], [0, 0]]
    assert geo.simplified(ring, 0.0001) == [[0, 0], [0.01, 0], [0.0103, 0.005], [0.01, 0.01], [0, 0.01], [0, 0]]
    assert geo.simplified([[0, 0], [0.000001, 0], [0, 0.000001], [0, 0]], 0.0001) == [[0.0, 0.0]]  # below the rounding


def test_a_boundary_file_keeps_code_and_name_of_the_area_asked_for():
    made = geo.boundary_file([KELURAHAN], area="99.01.01")
    assert [feature["properties"] for feature in made["features"]] == [
        {"kode": "99.01.01.1001", "nama": "Naikoten"},
        {"kode": "99.01.01", "nama": "Kecamatan 99.01.01"},
    ]
    assert made["features"][0]["geometry"] == {"type": "MultiPolygon", "coordinates": [square(0, 0)["coordinates"]]}


def label_boxes(figure, width: int) -> list[tuple[float, float, float, float]]:
    """Each label's text box in px (y up), as plotly draws the labels trace: Mercator, the geo ranges
    filling the plot; an average character 0.55 of the font size, a line 1.2 of it."""
    labels = next(trace for trace in figure.data if trace.name == "labels")
    geo_layout, margin = figure.layout.geo, figure.layout.margin

    def mercator(lon, lat):
        return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    (west, south), (east, north) = (
        mercator(geo_layout.lonaxis.range[0], geo_layout.lataxis.range[0]),
        mercator(geo_layout.lonaxis.range[1], geo_layout.lataxis.range[1]),
    )
    scale = min(width / (east - west), (figure.layout.height - margin.t - margin.b) / (north - south))
    size = labels.textfont.size
    boxes = []
    for lon, lat, text in zip(labels.lon, labels.lat, labels.text):
        x, y = mercator(lon, lat)
        x, y = (x - west) * scale, (y - south) * scale
        lines = text.replace("<b>", "").replace("</b>", "").split("<br>")
        half_width, half_height = max(map(len, lines)) * size * 0.55 / 2, len(lines) * size * 1.2 / 2
        boxes.append((x - half_width, y - half_height, x + half_width, y + half_height))
    return boxes


@pytest.mark.parametrize("width", [geo.ASSUMED_MAP_WIDTH_PX, 340])
def test_kota_lama_has_its_ten_kelurahan_each_labelled_and_merdeka_outlined(width):
    boundary = geo.read_boundary(geo.BUNDLED_BOUNDARIES)
    figure = geo.map_figure(KOTA_LAMA, "persons", "id", boundary, chosen=MERDEKA, width=width)
    traces = {trace.name: trace for trace in figure.data}
    assert sorted(traces["areas"].locations) == sorted(KOTA_LAMA["code"])
    assert len(traces["areas"].geojson["features"]) == 10
    names = [text.split("<br>")[0] for text in traces["labels"].text]
    assert names == list(KOTA_LAMA["name"]) and None not in traces["labels"].lon
    merdeka = next(feature for feature in boundary["features"] if feature["properties"]["kode"] == MERDEKA)
    outline = [point for polygon in merdeka["geometry"]["coordinates"] for ring in polygon for point in ring + [None]]
    assert list(zip(traces["chosen"].lon, traces["chosen"].lat)) == [
        (None, None) if point is None else tuple(point) for point in outline
    ]
    assert traces["chosen"].line.width > traces["areas"].marker.line.width
    assert figure.layout.annotations[-1].text == "Garis tebal: Merdeka, wilayah yang dipilih"
    boxes = label_boxes(figure, width)
    height = figure.layout.height - figure.layout.margin.t - figure.layout.margin.b
    for number, box in enumerate(boxes):
        assert box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height, names[number]  # not clipped
        for other, second in zip(boxes[number + 1 :], names[number + 1 :]):
            assert not (box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]), (
                names[number],
                second,
            )


def test_a_chosen_kecamatan_is_outlined_around_its_kelurahan():
    boundary = geo.read_boundary(geo.BUNDLED_BOUNDARIES)
    figure = geo.map_figure(KOTA_LAMA, "persons", "en", boundary, chosen="53.71.06")
    chosen = next(trace for trace in figure.data if trace.name == "chosen")
    kota_lama = next(feature for feature in boundary["features"] if feature["properties"]["kode"] == "53.71.06")
    assert [lon for lon in chosen.lon if lon is not None] == [
        point[0] for polygon in kota_lama["geometry"]["coordinates"] for ring in polygon for point in ring
    ]
    assert figure.layout.annotations[-1].text == "Thick outline: Kota Lama, the area chosen"


def test_the_kupang_boundaries_draw_circles_elsewhere_and_nothing_without_centroids():
    boundary = geo.read_boundary(geo.BUNDLED_BOUNDARIES)
    assert geo.can_place(KOTA_LAMA, boundary) and geo.can_place(AREAS, boundary)
    figure = geo.map_figure(AREAS, "persons", "en", boundary)
    assert figure.data[0].mode == "markers" and figure.layout.meta["unmatched_features"] == []
    assert not geo.can_place(AREAS.assign(lon=None, lat=None), boundary)
    assert geo.can_place(KOTA_LAMA.assign(lon=None, lat=None), boundary)
