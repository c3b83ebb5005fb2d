"""Disclosure control by the cell-key method: the perturbation table, the protected cells a store keeps
(a small kelurahan worked by hand), what the views, downloads, deck and footer show, and the utility
figures."""

from __future__ import annotations

import io
from datetime import date

import duckdb
import pytest
import streamlit
from conftest import TINY_POPULATION, build_tiny_store
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from sensus import briefing, deck, exports, indicators, privacy, store

CITY, BARAT, SATU = "99.01", "99.01.01", "99.01.01.1001"

# Satu, a small kelurahan: village, sex, age_from, age_to, education, persons (58 persons).
SMALL_KELURAHAN = [
    (SATU, 1, 3, 3, None, 12),
    (SATU, 2, 3, 3, None, 11),
    (SATU, 1, 30, 30, 5, 14),
    (SATU, 1, 31, 31, 7, 3),
    (SATU, 2, 30, 30, 5, 3),
    (SATU, 1, 72, 72, 2, 6),
    (SATU, 2, 72, 72, 2, 7),
    (SATU, 2, 73, 73, 3, 2),
]
# Its cells by sex, five-year age group and education: sex, age group, education, persons.
SATU_CELLS = {
    (1, 0, None): 12,
    (2, 0, None): 11,
    (1, 30, 5): 14,
    (1, 30, 7): 3,
    (2, 30, 5): 3,
    (1, 70, 2): 6,
    (2, 70, 2): 7,
    (2, 70, 3): 2,
}
SMALL_POPULATION = SMALL_KELURAHAN + [row for row in TINY_POPULATION if row[0] != SATU]


@pytest.fixture
def small_db(tmp_path, monkeypatch):
    monkeypatch.delenv("SENSUS_PROTECTION")
    monkeypatch.delenv("SENSUS_MIN_CELL", raising=False)
    path = tmp_path / "small.duckdb"
    build_tiny_store(path, population=SMALL_POPULATION)
    return path


@pytest.fixture
def small(small_db):
    con = store.connect(small_db)
    yield con
    con.close()


def published_cells(con, area: str = SATU) -> dict[tuple, int]:
    rows = con.execute(
        "select sex, age_from, education, published from protected_cells where area_code = ?", [area]
    ).fetchall()
    return {(sex, age, None if education is None else education): value for sex, age, education, value in rows}


# ---------------------------------------------------------------- the perturbation table


@pytest.mark.parametrize("min_cell", [2, 5, 10])
def test_the_perturbation_table_keeps_every_count_on_average_and_publishes_none_below_k(min_cell):
    table = privacy.perturbation_table(min_cell)
    table = table.assign(
        chance=table["key_to"] - table["key_from"], published=table["value"] + table["change"]
    ).sort_values(["value", "key_from"])
    for value, rows in table.groupby("value"):
        assert rows["key_from"].iloc[0] == 0 and rows["key_to"].iloc[-1] == 1
        assert (rows["key_from"].iloc[1:].to_numpy() == rows["key_to"].iloc[:-1].to_numpy()).all()
        assert (rows["chance"] * rows["published"]).sum() == pytest.approx(value)
    assert not table["published"].between(1, min_cell - 1).any()
    assert table.loc[table["value"] == 0, "published"].tolist() == [0]
    large = table[table["value"] >= min_cell + privacy.MAX_CHANGE]
    assert large["change"].abs().max() == privacy.MAX_CHANGE


def test_the_perturbation_table_for_small_counts_worked_by_hand():
    # k = 5, moves of at most 2 with weights 1 2 3 2 1 (of 9): a 1 becomes 5 one time in five, else 0;
    # a 6 moved by -2 is a 4, which becomes 5 four times in five, else 0.
    table = privacy.perturbation_table(5).round(6)
    rows = lambda value: table[table["value"] == value][["key_from", "key_to", "change"]].values.tolist()  # noqa: E731
    assert rows(1) == [[0, 0.2, 4], [0.2, 1, -1]]
    assert rows(6)[:2] == [[0, round(1 / 9 * 0.8, 6), -1], [round(1 / 9 * 0.8, 6), round(1 / 9, 6), -6]]


# ---------------------------------------------------------------- the store's protected cells


def test_a_kelurahan_is_protected_cell_by_cell_and_every_table_adds_its_cells_up(small):
    exact = small.execute(
        "select sex, age_from, education, persons from protected_cells where area_code = ?", [SATU]
    ).fetchall()
    assert {(sex, age, education): persons for sex, age, education, persons in exact} == SATU_CELLS
    published = published_cells(small)
    table = privacy.perturbation_table(5)
    for cell, persons in SATU_CELLS.items():
        changes = set(table.loc[table["value"] == min(persons, 7), "change"])
        assert published[cell] - persons in changes and not 1 <= published[cell] <= 4
    pyramid = indicators.pyramid(small, SATU)
    shown = dict(zip(zip(pyramid["sex"], pyramid["lower"]), pyramid["persons"]))
    for sex, lower in shown:
        assert shown[(sex, lower)] == sum(value for (s, a, _), value in published.items() if (s, a) == (sex, lower))
    headline = indicators.headline(small, SATU)
    assert headline["persons"] == sum(published.values())
    assert headline["male"] == sum(value for (sex, _, _), value in published.items() if sex == 1)


def test_whole_area_totals_of_kecamatan_and_above_are_exact(small):
    exact = sum(row[-1] for row in SMALL_POPULATION)
    barat = sum(row[-1] for row in SMALL_POPULATION if row[0].startswith(BARAT))
    assert indicators.headline(small, CITY)["persons"] == exact
    assert indicators.headline(small, BARAT)["persons"] == barat


def test_the_same_cell_reads_the_same_after_another_load_and_the_seed_stays(small_db):
    with duckdb.connect(str(small_db)) as con:
        before, seed = published_cells(con), con.execute("select seed from protection_settings").fetchone()[0]
        store.refresh_rollups(con)
        assert published_cells(con) == before
        assert con.execute("select seed from protection_settings").fetchone()[0] == seed
        assert len(seed) == 64


def test_another_store_has_its_own_seed(small_db, tmp_path):
    other = tmp_path / "other.duckdb"
    build_tiny_store(other, population=SMALL_POPULATION)
    seeds = [
        duckdb.connect(str(path), read_only=True).execute("select seed from protection_settings").fetchone()[0]
        for path in (small_db, other)
    ]
    assert seeds[0] != seeds[1]


def test_protection_off_reads_the_exact_counts(small, monkeypatch):
    monkeypatch.setenv("SENSUS_PROTECTION", "off")
    pyramid = indicators.pyramid(small, SATU)
    shown = dict(zip(zip(pyramid["sex"], pyramid["lower"]), pyramid["persons"]))
    assert {cell: value for cell, value in shown.items() if value} == {
        (1, 0): 12,
        (2, 0): 11,
        (1, 30): 17,
        (2, 30): 3,
        (1, 70): 6,
        (2, 70): 9,
    }
    assert indicators.headline(small, SATU)["persons"] == 58
    assert privacy.note(pyramid, "en") is None


def test_the_minimum_cell_size_is_read_when_the_store_is_loaded(tmp_path, monkeypatch):
    monkeypatch.setenv("SENSUS_MIN_CELL", "10")
    path = tmp_path / "k10.duckdb"
    build_tiny_store(path, population=SMALL_POPULATION)
    with store.connect(path) as con:
        assert con.execute("select min_cell from protection_settings").fetchone()[0] == 10
        assert not any(1 <= value <= 9 for value in published_cells(con).values())


@pytest.mark.parametrize("value", ["1", "five"])
def test_a_minimum_cell_size_below_two_or_not_a_number_is_refused(monkeypatch, value):
    monkeypatch.setenv("SENSUS_MIN_CELL", value)
    with pytest.raises(ValueError, match="SENSUS_MIN_CELL"):
        privacy.protection()


def test_levels_below_kecamatan():
    assert [privacy.is_small_area(level) for level in store.LEVELS] == [False, False, False, False, True]
    assert privacy.is_small_area(None) and privacy.is_small_area("desa")


# ---------------------------------------------------------------- every view, download and the deck

VIEWS = {
    "pyramid": lambda con, code: indicators.pyramid(con, code)["persons"],
    "broad_age_groups": lambda con, code: indicators.broad_age_groups(indicators.pyramid(con, code))[
        ["male", "female", "persons"]
    ].stack(),
    "education_by_sex": lambda con, code: indicators.education_by_sex(con, code)["persons"],
    "education_by_age": lambda con, code: indicators.education_by_age(con, code)["persons"],
    "education_by_child_area": lambda con, code: indicators.education_by_child_area(con, code)["persons"],
    "area_indicators": lambda con, code: indicators.area_indicators(con, code)[
        ["persons", "male", "female", "age_0_14", "age_15_64", "age_65_plus", "with_education", "higher_education"]
    ].stack(),
}


@pytest.mark.parametrize("code", [BARAT, SATU])
def test_no_view_shows_a_count_below_k_about_a_kelurahan(small, code):
    for name, view in VIEWS.items():
        counts = view(small, code)
        assert not counts.between(1, 4).any(), name


def test_the_sample_kelurahan_views_show_no_count_below_k(sample, monkeypatch):
    monkeypatch.delenv("SENSUS_PROTECTION")
    kelurahan = sample.execute("select code from areas where level = 'village' order by code").fetchall()
    for (code,) in kelurahan[:5]:
        for name, view in VIEWS.items():
            assert not view(sample, code).between(1, 4).any(), (code, name)


def test_downloads_hold_the_published_counts(small):
    frame = indicators.education_by_age(small, SATU)
    columns = {"age_group": "text", "education": "education", "persons": "number", "share": "percent"}
    table = exports.labelled(frame, columns, "id")
    assert table.frame["Penduduk"].tolist() == frame["persons"].tolist()
    assert not table.frame["Penduduk"].between(1, 4).any() and not table.withheld.to_numpy().any()


def test_the_deck_of_a_small_kelurahan_draws_the_published_counts(small):
    content = briefing.assemble(small, SATU, date(2020, 3, 2))
    slides = {slide.key: slide for slide in content.slides}
    assert slides["pyramid"].note == privacy.note(indicators.pyramid(small, SATU), "id")
    pages = dict(zip(content.keys, Presentation(io.BytesIO(deck.to_pptx(content))).slides))
    chart = next(shape.chart for shape in pages["pyramid"].shapes if shape.has_chart)
    drawn = sorted(abs(value) for series in chart.plots[0].series for value in series.values if value)
    pyramid = indicators.pyramid(small, SATU)
    assert drawn == sorted(pyramid.loc[pyramid["persons"] > 0, "persons"].tolist())


@pytest.mark.parametrize(
    "mode, footer",
    [
        ("on", "Kontrol pengungkapan aktif"),
        ("off", "Perlindungan sel kecil NONAKTIF: semua angka ditampilkan (hanya untuk penggunaan internal)"),
    ],
)
def test_the_footer_says_which_protection_mode_is_on(small_db, monkeypatch, mode, footer):
    monkeypatch.setenv("SENSUS_DB", str(small_db))
    monkeypatch.setenv("SENSUS_PROTECTION", mode)
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()
    app = AppTest.from_file(str(store.PROJECT_DIR / "dashboard.py"), default_timeout=120)
    app.query_params.update({"kecamatan": "Barat", "kelurahan": "Satu"})
    app.run()
    assert not app.exception and any(caption.value.startswith(footer) for caption in app.caption)
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()


# ---------------------------------------------------------------- utility figures


def test_the_utility_figures_count_what_moved_per_level(small):
    figures = privacy.utility(small).set_index("level")
    cells = small.execute("select persons, published from protected_cells").df()
    village = figures.loc["village"]
    assert village["cells"] == len(cells)
    assert village["moved"] == (cells["persons"] != cells["published"]).sum()
    assert village["small"] == cells["persons"].between(1, 4).sum()
    assert village["persons_moved"] == (cells["persons"] - cells["published"]).abs().sum()
    assert figures.loc["district", "totals_moved"] == figures.loc["regency", "totals_moved"] == 0
