"""Small-cell protection: hand-worked patterns on a small kelurahan, and a scanner that looks for any
count from 1 to k-1 that a reader could see or work out, over every view at every level."""

from __future__ import annotations

import csv
import io
import math
from datetime import date

import openpyxl
import pandas as pd
import pytest
import streamlit
from conftest import TINY_POPULATION, build_tiny_store
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from queries import run
from sensus import briefing, deck, exports, indicators, privacy, store

CITY, BARAT, SATU, DUA = "99.01", "99.01.01", "99.01.01.1001", "99.01.01.1002"

# Satu, a small kelurahan: village, sex, age_from, age_to, education, persons.
#   pyramid          0-4: M 12, F 11   30-34: M 17, F 3   70-74: M 6, F 9          (58 persons)
#   education x sex  2: M 6, F 7   3: M 0, F 2   5: M 14, F 3   7: M 3, F 0
#   education x age  30-34: 5 -> 17, 7 -> 3   70-74: 2 -> 13, 3 -> 2
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
SMALL_POPULATION = SMALL_KELURAHAN + [row for row in TINY_POPULATION if row[0] != SATU]


@pytest.fixture
def small_db(tmp_path, monkeypatch):
    monkeypatch.delenv("SENSUS_PROTECTION", raising=False)
    monkeypatch.delenv("SENSUS_MIN_CELL", raising=False)
    path = tmp_path / "small.duckdb"
    build_tiny_store(path, population=SMALL_POPULATION)
    return path


@pytest.fixture
def small(small_db):
    con = store.connect(small_db)
    yield con
    con.close()


def withheld(frame: pd.DataFrame, keys: list[str], count: str = "persons") -> set[tuple]:
    rows = frame[frame[count].isna()]
    assert rows["suppressed"].all()
    return set(rows[keys].itertuples(index=False, name=None))


# ---------------------------------------------------------------- hand-worked patterns


def test_pyramid_of_a_small_kelurahan(small):
    pyramid = indicators.pyramid(small, SATU)
    # F 30-34 (3) is below 5; its row then holds one withheld cell, so M 30-34 goes too; the female
    # column likewise loses its smallest other count, F 70-74 (9), whose row then loses M 70-74.
    assert withheld(pyramid, ["age_group", "sex"]) == {("30-34", 1), ("30-34", 2), ("70-74", 1), ("70-74", 2)}
    assert pyramid.attrs["withheld"] == {"protected": True, "min_cell": 5, "cells": 4, "small": 1, "second": 3}
    shown = pyramid[pyramid["persons"] > 0].set_index(["age_group", "sex"])
    assert shown["persons"].to_dict() == {("0-4", 1): 12, ("0-4", 2): 11}
    assert shown["share"].to_dict() == {("0-4", 1): 12 / 58, ("0-4", 2): 11 / 58}
    assert pyramid.loc[pyramid["persons"].isna(), "share"].isna().all()
    assert (pyramid["persons"] == 0).sum() == 32 - 6  # zeros stay zeros
    assert indicators.headline(small, SATU)["persons"] == 58  # the whole kelurahan is exact
    assert privacy.note(pyramid, "en") == (
        "To keep census answers confidential (Law 16/1997), 4 figures are withheld: 1 because they count "
        "fewer than 5 persons, 3 so that they cannot be worked out from the totals; shares built on "
        "them are withheld too. The same view at kecamatan level has complete figures."
    )
    assert privacy.note(pyramid, "id") == (
        "Demi kerahasiaan data sensus (UU 16/1997), 4 angka disembunyikan: 1 karena kurang dari 5 orang, "
        "3 agar tidak dapat dihitung dari totalnya; persentase yang bergantung padanya juga tidak "
        "ditampilkan. Tampilan yang sama di tingkat kecamatan memuat angka lengkap."
    )


def test_views_derived_from_the_pyramid_keep_what_it_withheld(small):
    pyramid = indicators.pyramid(small, SATU)
    by_age = indicators.sex_ratio_by_age(pyramid).set_index("age_group")
    assert by_age.loc["0-4", ["male", "female", "sex_ratio", "suppressed"]].tolist() == [
        12,
        11,
        pytest.approx(100 * 12 / 11),
        False,
    ]
    assert by_age.loc[["30-34", "70-74"], ["male", "female", "sex_ratio"]].isna().all().all()
    assert by_age.loc[["30-34", "70-74"], "suppressed"].all()
    broad = indicators.broad_age_groups(pyramid)
    assert broad.iloc[0].to_dict() == {
        "age_group": "0-14",
        "male": 12,
        "female": 11,
        "persons": 23,
        "share": pytest.approx(23 / 58),
        "suppressed": False,
    }
    assert broad.iloc[1:][["male", "female", "persons", "share"]].isna().all().all()
    assert broad["suppressed"].tolist() == [False, True, True]


def test_education_by_sex_of_a_small_kelurahan(small):
    table = indicators.education_by_sex(small, SATU)
    # F3 (2), F5 (3), M7 (3) are below 5; row 5 then has one withheld, so M5 (14) goes; rows 3 and 7
    # have nothing else to withhold (their other cell is zero), and each column now has two.
    assert withheld(table, ["education", "sex"]) == {(3, 2), (5, 1), (5, 2), (7, 1)}
    assert table.attrs["withheld"] == {"protected": True, "min_cell": 5, "cells": 4, "small": 3, "second": 1}
    shown = table[table["persons"] > 0].set_index(["education", "sex"])
    assert shown["persons"].to_dict() == {(2, 1): 6, (2, 2): 7}
    assert shown["share"].to_dict() == {(2, 1): 6 / 23, (2, 2): 7 / 12}
    assert table.set_index(["education", "sex"]).loc[[(3, 1), (7, 2)], "persons"].tolist() == [0, 0]


def test_education_by_age_of_a_small_kelurahan(small):
    table = indicators.education_by_age(small, SATU)
    assert withheld(table, ["age_group", "education"]) == {("30-34", 5), ("30-34", 7), ("70-74", 2), ("70-74", 3)}
    assert table.attrs["withheld"]["small"] == 2 and table.attrs["withheld"]["second"] == 2


def test_a_kecamatan_by_kelurahan_and_education(small):
    table = indicators.education_by_child_area(small, BARAT)
    # Satu: 2 -> 13, 3 -> 2, 5 -> 17, 7 -> 3; Dua: 2 -> 10, 5 -> 30, 7 -> 40. Satu 3 and 7 are below 5;
    # column 7 then withholds Dua 7 (40), row Dua its smallest, Dua 2 (10), and column 2 Satu 2 (13).
    assert withheld(table, ["code", "education"]) == {(SATU, 2), (SATU, 3), (SATU, 7), (DUA, 2), (DUA, 7)}
    assert table.attrs["withheld"] == {"protected": True, "min_cell": 5, "cells": 5, "small": 2, "second": 3}
    assert table.set_index(["code", "education"]).loc[[(SATU, 5), (DUA, 5)], "persons"].tolist() == [17, 30]
    assert table["higher_share"].isna().all()
    assert table.drop_duplicates("code")[["code", "rank"]].values.tolist() == [[SATU, 1], [DUA, 2]]


def test_the_city_by_kecamatan_is_not_protected(small):
    table = indicators.education_by_child_area(small, CITY)
    assert not table["suppressed"].any() and table["persons"].notna().all()
    assert table.attrs["withheld"]["protected"] is False


def test_headline_counts_of_kelurahan_are_protected_as_breakdowns(small):
    table = indicators.area_indicators(small, BARAT).set_index("code")
    # Satu has 3 persons with a diploma or degree out of 35 with an education: withheld, and Barat's
    # total would give it away from Dua's 40, so Dua's goes too; both shares go with them.
    assert table[["higher_education", "higher_education_share"]].isna().to_dict("list") == {
        "higher_education": [False, True, True, False],
        "higher_education_share": [False, True, True, False],
    }
    assert table["suppressed"].tolist() == [False, True, True, False]
    assert table.loc[SATU, ["persons", "male", "female", "with_education"]].tolist() == [58, 35, 23, 35]
    assert table.loc[SATU, "sex_ratio"] == pytest.approx(100 * 35 / 23)
    assert table.loc[BARAT, ["higher_education", "higher_education_share"]].tolist() == [43, 43 / 115]
    assert table.attrs["withheld"] == {"protected": True, "min_cell": 5, "cells": 2, "small": 1, "second": 1}
    headline = indicators.headline(small, SATU)
    assert math.isnan(headline["higher_education"]) and headline["persons"] == 58


def test_the_minimum_cell_size_is_configurable(small, monkeypatch):
    monkeypatch.setenv("SENSUS_MIN_CELL", "3")
    assert withheld(indicators.pyramid(small, SATU), ["age_group", "sex"]) == set()
    table = indicators.education_by_sex(small, SATU)
    # Only F3 (2) is below 3; column F then withholds F5 (3), row 5 M5 (14), column M M7 (3).
    assert withheld(table, ["education", "sex"]) == {(3, 2), (5, 1), (5, 2), (7, 1)}
    assert table.attrs["withheld"] == {"protected": True, "min_cell": 3, "cells": 4, "small": 1, "second": 3}
    assert privacy.mode_label("id") == (
        'Perlindungan sel kecil aktif: di bawah tingkat kecamatan, jumlah 1–2 orang ditampilkan sebagai "<3"'
    )


@pytest.mark.parametrize("value", ["1", "0", "lima", "-5", "4.5"])
def test_a_minimum_cell_size_below_two_or_not_a_number_is_refused(monkeypatch, value):
    monkeypatch.setenv("SENSUS_MIN_CELL", value)
    with pytest.raises(ValueError, match=f"SENSUS_MIN_CELL must be a whole number of at least 2, got '{value}'"):
        privacy.protection()


def test_protection_can_be_switched_off_and_the_footer_says_so(small, monkeypatch):
    assert privacy.mode_label("en") == (
        'Small-cell protection on: below kecamatan level, counts of 1–4 persons are shown as "<5"'
    )
    monkeypatch.setenv("SENSUS_PROTECTION", "off")
    pyramid = indicators.pyramid(small, SATU)
    pd.testing.assert_frame_equal(pyramid.drop(columns="suppressed"), run(small, "population_pyramid", area=SATU))
    assert not pyramid["suppressed"].any()
    assert pyramid.attrs["withheld"]["protected"] is False and privacy.note(pyramid, "en") is None
    assert privacy.mode_label("en") == "Small-cell protection OFF: every figure is shown (internal use only)"
    assert privacy.mode_label("id") == (
        "Perlindungan sel kecil NONAKTIF: semua angka ditampilkan (hanya untuk penggunaan internal)"
    )


def test_levels_below_kecamatan():
    assert [privacy.is_small_area(level) for level in store.LEVELS] == [False, False, False, False, True]
    assert privacy.is_small_area(None) and privacy.is_small_area("desa")


# ---------------------------------------------------------------- the scanner


def revealed(
    truth: pd.DataFrame, shown: pd.DataFrame, keys: list[str], groupings: list[list[str]], k: int, protected_rows=None
) -> list[tuple]:
    """Counts from 1 to k-1 that a reader of `shown` sees, or works out by subtracting the shown cells
    of a row or column group from its total when exactly one is missing. Totals are taken as
    published, except totals from 1 to k-1: those are small counts themselves, withheld wherever
    they are a cell. `truth` and `shown` are long: keys..., value."""
    cells = truth.merge(shown, on=keys, how="left", suffixes=("", "_shown"))
    if protected_rows is not None:
        cells = cells[protected_rows(cells)]

    def small(value):
        return 1 <= value < k

    found = [("shown", *row) for row in cells.loc[cells["value_shown"].map(small), keys].itertuples(index=False)]
    for grouping in groupings:
        for group_key, group in cells.groupby(grouping):
            missing = group[group["value_shown"].isna()]
            total = group["value"].sum()
            if len(missing) == 1 and not small(total) and small(total - group["value_shown"].sum()):
                found.append(("subtracted", grouping, group_key, *missing[keys].iloc[0]))
    return found


def long_view(name: str):
    """A view's cells in long form (keys..., value) and its groupings with published totals."""

    def melt(frame, index, columns, var_name):
        return frame.melt(id_vars=index, value_vars=columns, var_name=var_name, value_name="value")

    return {
        "pyramid": (
            lambda con, code: indicators.pyramid(con, code).rename(columns={"persons": "value"}),
            ["age_group", "sex"],
            [["age_group"], ["sex"]],
        ),
        "sex_ratio_by_age": (
            lambda con, code: melt(
                indicators.sex_ratio_by_age(indicators.pyramid(con, code)), ["age_group"], ["male", "female"], "sex"
            ),
            ["age_group", "sex"],
            [["age_group"], ["sex"]],
        ),
        "broad_age_groups": (
            lambda con, code: melt(
                indicators.broad_age_groups(indicators.pyramid(con, code)), ["age_group"], ["male", "female"], "sex"
            ),
            ["age_group", "sex"],
            [["age_group"], ["sex"]],
        ),
        "education_by_sex": (
            lambda con, code: indicators.education_by_sex(con, code).rename(columns={"persons": "value"}),
            ["education", "sex"],
            [["education"], ["sex"]],
        ),
        "education_by_age": (
            lambda con, code: indicators.education_by_age(con, code).rename(columns={"persons": "value"}),
            ["age_group", "education"],
            [["age_group"], ["education"]],
        ),
        "education_by_child_area": (
            lambda con, code: indicators.education_by_child_area(con, code).rename(columns={"persons": "value"}),
            ["code", "education"],
            [["code"], ["education"]],
        ),
    }[name]


def indicator_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The headline counts as cells: each breakdown's parts and what they leave of its total."""
    parts = []
    for name, (total, columns) in indicators.INDICATOR_BREAKDOWNS.items():
        for column in columns:
            parts.append(frame[["code", "role"]].assign(breakdown=name, measure=column, value=frame[column]))
        parts.append(
            frame[["code", "role"]].assign(
                breakdown=name, measure=f"{name}:rest", value=frame[total] - frame[columns].sum(axis=1, skipna=False)
            )
        )
    return pd.concat(parts, ignore_index=True)


VIEWS = [
    "pyramid",
    "sex_ratio_by_age",
    "broad_age_groups",
    "education_by_sex",
    "education_by_age",
    "education_by_child_area",
]


def scan(con, code: str, monkeypatch) -> list[tuple]:
    """Every view of an area, protected, against the same view unprotected."""
    k = privacy.protection().min_cell
    found = []
    for name in VIEWS:
        view, keys, groupings = long_view(name)
        shown = view(con, code)
        monkeypatch.setenv("SENSUS_PROTECTION", "off")
        truth = view(con, code)
        monkeypatch.delenv("SENSUS_PROTECTION")
        if not shown.attrs["withheld"]["protected"]:
            continue
        found += [
            (name, *hit) for hit in revealed(truth[keys + ["value"]], shown[keys + ["value"]], keys, groupings, k)
        ]
        if "share" in shown:
            assert shown.loc[shown["value"].isna(), "share"].isna().all(), name
    shown = indicators.area_indicators(con, code)
    monkeypatch.setenv("SENSUS_PROTECTION", "off")
    truth = indicators.area_indicators(con, code)
    monkeypatch.delenv("SENSUS_PROTECTION")
    level = indicators.area_level(con, code)
    protected_roles = [
        role for role, role_level in indicators.levels_by_role(level).items() if privacy.is_small_area(role_level)
    ]
    keys = ["code", "breakdown", "measure"]
    found += [
        ("area_indicators", *hit)
        for hit in revealed(
            indicator_cells(truth),
            indicator_cells(shown).drop(columns="role"),
            keys,
            [["code", "breakdown"], ["measure"]],
            k,
            protected_rows=lambda cells: cells["role"].isin(protected_roles),
        )
    ]
    ratios = {
        "sex_ratio": ["male", "female"],
        "dependency_young": ["age_0_14", "age_15_64"],
        "dependency_old": ["age_65_plus", "age_15_64"],
        "higher_education_share": ["higher_education", "with_education"],
    }
    for ratio, counts in ratios.items():
        assert shown.loc[shown[counts].isna().any(axis=1), ratio].isna().all(), ratio
    return found


@pytest.mark.parametrize("code", [CITY, BARAT, SATU])
def test_scanner_finds_nothing_in_the_small_store(small, monkeypatch, code):
    assert scan(small, code, monkeypatch) == []


def smallest_kelurahan(con) -> str:
    totals = run(con, "indicator_counts", area="53.71.06")
    return totals[totals["role"] == "child"].sort_values("persons")["code"].iloc[0]


@pytest.mark.parametrize("level", ["city", "kecamatan", "kelurahan"])
def test_scanner_finds_nothing_in_the_sample(sample, monkeypatch, level):
    monkeypatch.delenv("SENSUS_MIN_CELL", raising=False)
    code = {"city": "53.71", "kecamatan": "53.71.06", "kelurahan": smallest_kelurahan(sample)}[level]
    assert scan(sample, code, monkeypatch) == []


def test_the_sample_kelurahan_has_small_cells_to_protect(sample, monkeypatch):
    """The scanner above is only worth something if there was something to find."""
    monkeypatch.delenv("SENSUS_PROTECTION", raising=False)
    table = indicators.education_by_age(sample, smallest_kelurahan(sample))
    assert table.attrs["withheld"]["small"] > 0 and table.attrs["withheld"]["second"] > 0


def test_the_scanner_catches_an_unprotected_small_cell_and_a_lone_withheld_one():
    truth = pd.DataFrame({"row": ["a", "a", "b", "b"], "col": [1, 2, 1, 2], "value": [3, 10, 20, 30]})
    assert revealed(truth, truth, ["row", "col"], [["row"], ["col"]], 5) == [("shown", "a", 1)]
    primary_only = truth.assign(value=[None, 10, 20, 30])
    assert revealed(truth, primary_only, ["row", "col"], [["row"], ["col"]], 5) == [
        ("subtracted", ["row"], ("a",), "a", 1),
        ("subtracted", ["col"], (1,), "a", 1),
    ]


# ---------------------------------------------------------------- downloads and the deck


EXPORTED = {  # view: the columns of its table and download, with their kinds
    "pyramid": {"age_group": "text", "sex": "sex", "persons": "number", "share": "percent"},
    "education_by_sex": {"education": "education", "sex": "sex", "persons": "number", "share": "percent"},
    "education_by_age": {"age_group": "text", "education": "education", "persons": "number", "share": "percent"},
    "education_by_child_area": {"name": "text", "education": "education", "persons": "number", "share": "percent"},
}


def downloads(frame: pd.DataFrame, columns: dict[str, str], lang: str = "id") -> list[pd.DataFrame]:
    """The table of a download as the CSV and the XLSX file hold it, below their header block."""
    table = exports.labelled(frame, columns, lang)
    header = exports.header_block(lang, title='=HYPERLINK("http://example.com")', source="tiny", area="Satu", on="2020")
    rows = list(csv.reader(io.StringIO(exports.to_csv(table, header).decode("utf-8-sig"))))[len(header) + 1 :]
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(table, header))).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=len(header) + 2)]
    return [pd.DataFrame(rows[1:], columns=rows[0]), pd.DataFrame(cells[1:], columns=cells[0])]


@pytest.mark.parametrize("name", sorted(EXPORTED))
def test_downloads_show_withheld_counts_as_below_five_and_no_small_count(small, name):
    code = BARAT if name == "education_by_child_area" else SATU
    frame = getattr(indicators, name)(small, code)
    assert frame["suppressed"].any()
    for table in downloads(frame, EXPORTED[name]):
        counts, shares = table["Penduduk"], table["Persentase"]
        assert (counts == "<5").tolist() == frame["suppressed"].tolist()
        shown = pd.to_numeric(counts[counts != "<5"])
        assert not shown.between(1, 4).any()
        withheld_shares = shares[frame["suppressed"].to_numpy()]
        assert pd.to_numeric(withheld_shares, errors="coerce").isna().all()


def test_the_deck_and_briefing_of_a_small_kelurahan_reveal_no_small_count(small):
    content = briefing.assemble(small, SATU, date(2020, 3, 2))
    slides = {slide.key: slide for slide in content.slides}
    assert slides["pyramid"].data["suppressed"].sum() == 4 and slides["education"].data["suppressed"].sum() == 4
    assert slides["pyramid"].note == privacy.note(indicators.pyramid(small, SATU), "id")
    pages = dict(zip(content.keys, Presentation(io.BytesIO(deck.to_pptx(content))).slides))

    def chart_values(key: str) -> list:
        chart = next(shape.chart for shape in pages[key].shapes if shape.has_chart)
        return [value for series in chart.plots[0].series for value in series.values]

    # The pyramid draws Satu's 0-4 group (M 12, F 11) and leaves the four withheld bars blank.
    assert sorted(abs(value) for value in chart_values("pyramid") if value) == [11, 12]
    assert sum(value is None for value in chart_values("pyramid")) == 4
    # The education chart draws shares; those of the four withheld counts are blank.
    assert sum(value is None for value in chart_values("education")) == 4


HOSTILE_NAMES = [
    '=HYPERLINK("http://example.com","klik")',
    "@SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_downloads_neutralise_every_formula():
    frame = pd.DataFrame({"name": HOSTILE_NAMES, "persons": range(10, 10 + len(HOSTILE_NAMES))})
    csv_table, xlsx_table = downloads(frame, {"name": "text", "persons": "number"})
    assert csv_table["Nama"].tolist() == xlsx_table["Nama"].tolist() == ["'" + name for name in HOSTILE_NAMES]
    sheet = openpyxl.load_workbook(
        io.BytesIO(exports.to_xlsx(exports.labelled(frame, {"name": "text"}, "id"), [("Judul", "=1+1")]))
    ).active
    assert [cell.value for row in sheet.iter_rows() for cell in row if cell.data_type == "f"] == []
    assert sheet["B1"].value == "'=1+1"


@pytest.mark.parametrize(
    "mode, footer",
    [
        ("on", 'Perlindungan sel kecil aktif: di bawah tingkat kecamatan, jumlah 1–4 orang ditampilkan sebagai "<5"'),
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
    assert not app.exception and footer in [caption.value for caption in app.caption]
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()


def test_the_population_page_of_a_small_kelurahan_shows_below_five_and_adds_up(small_db, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(small_db))
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()
    app = AppTest.from_file(str(store.PROJECT_DIR / "dashboard.py"), default_timeout=120)
    app.query_params.update({"kecamatan": "Barat", "kelurahan": "Satu"})
    app.run()
    assert {metric.label: metric.value for metric in app.metric}["Jumlah penduduk"] == "58"
    app.switch_page(str(store.PROJECT_DIR / "pages" / "penduduk.py")).run()
    table = next(frame.value for frame in app.dataframe if "Penduduk" in frame.value.columns)
    cells = dict(zip(zip(table["Kelompok umur"], table["Jenis kelamin"]), table["Penduduk"]))
    withheld = [("30-34", "Laki-laki"), ("30-34", "Perempuan"), ("70-74", "Laki-laki"), ("70-74", "Perempuan")]
    assert [cells[cell] for cell in withheld] == ["<5"] * 4
    shown = {cell: value for cell, value in cells.items() if cell not in withheld}
    assert {cell: value for cell, value in shown.items() if value != "0"} == {
        ("0-4", "Laki-laki"): "12",
        ("0-4", "Perempuan"): "11",
    }
    # 58 persons: 23 shown, 35 withheld in four cells, none of which a total gives away.
    with store.connect_afresh(small_db) as con:
        assert privacy.note(indicators.pyramid(con, SATU), "id") in [caption.value for caption in app.caption]
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()
