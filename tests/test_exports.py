"""Downloads: the header block, labels and withheld cells, formula neutralising, CSV and XLSX."""

import csv
import io
from datetime import datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from sensus import exports

HEADER = [
    ("Judul", "Piramida penduduk"),
    ("Sumber", "Data sintetis (sensus.sample)"),
    ("Wilayah", "Barat (99.01.01)"),
    ("Tanggal data", "2 Maret 2020"),
    ("Filter", "Kecamatan: Barat"),
]


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", " x"),  # on one line: no control character starts it, nor is kept
        ("\rx", " x"),
        ("Kota\x0bLama", "Kota Lama"),  # U+000B, which a workbook cannot hold
        ("Kota Lama", "Kota Lama"),
        ("", ""),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_neutralise(value, safe):
    assert exports.neutralise(value) == safe


PYRAMID = pd.DataFrame(
    {
        "age_group": ["0-4", "0-4"],
        "sex": [1, 2],
        "persons": [np.nan, 12.0],
        "share": [np.nan, 0.6],
        "suppressed": [True, False],
    }
)


def test_labelled_table_names_codes_keeps_numbers_typed_and_marks_withheld_cells():
    table = exports.labelled(
        PYRAMID, {"age_group": "text", "sex": "sex", "persons": "number", "share": "percent"}, "id"
    )
    assert list(table.frame.columns) == ["Kelompok umur", "Jenis kelamin", "Penduduk", "Persentase"]
    assert table.frame["Jenis kelamin"].tolist() == ["Laki-laki", "Perempuan"]
    assert str(table.frame["Penduduk"].dtype) == "Int64" and table.frame["Penduduk"].iloc[1] == 12
    assert table.frame["Penduduk"].isna().iloc[0] and table.frame["Persentase"].isna().iloc[0]
    assert table.withheld.values.tolist() == [[False, False, True, True], [False, False, False, False]]
    assert exports.placeholder(table) == "<5"
    english = exports.labelled(PYRAMID, {"sex": "sex", "persons": "number"}, "en", headers={"persons": "People"})
    assert list(english.frame.columns) == ["Sex", "People"]
    assert english.frame["Sex"].tolist() == ["Male", "Female"]


def test_a_missing_value_that_was_not_withheld_reads_as_a_dash():
    frame = pd.DataFrame({"rate": [np.nan, 0.5], "suppressed": [False, False]})
    assert exports.placeholder(exports.labelled(frame, {"rate": "percent"}, "en")) == "–"


def test_the_screen_table_writes_numbers_as_the_language_does_and_sorts_them_as_numbers():
    frame = pd.DataFrame(
        {"name": ["Barat", "Timur"], "persons": [107441, 37049], "share": [0.2794, 0.05], "sex_ratio": [101.36, 98.0]}
    )
    columns = {"name": "text", "persons": "number", "share": "percent", "sex_ratio": "decimal"}
    for lang, written in [("id", ["107.441", "27,9%", "101,4"]), ("en", ["107,441", "27.9%", "101.4"])]:
        styler = exports.styled(exports.labelled(frame, columns, lang))
        first_row = styler.hide(axis="index").to_string(delimiter="|").splitlines()[1]
        assert first_row.split("|")[1:] == written
        assert styler.data.sort_values(styler.data.columns[1])["Nama" if lang == "id" else "Name"].tolist() == [
            "Timur",
            "Barat",
        ]


def test_header_block_lists_source_area_date_filters_and_the_synthetic_notice():
    lines = exports.header_block(
        "en",
        title="Pyramid",
        source="Sample",
        area="Barat (99.01.01)",
        on="2 March 2020",
        filters=["District: Barat", "Show: Shares"],
        exported="24 November 2026",
        synthetic=True,
    )
    assert lines == [
        ("Title", "Pyramid"),
        ("Source", "Sample"),
        ("Area", "Barat (99.01.01)"),
        ("Data date", "2 March 2020"),
        ("Filters", "District: Barat; Show: Shares"),
        ("Downloaded", "24 November 2026"),
        ("Note", "Synthetic data — not official SP2020 results"),
    ]


FRAME = pd.DataFrame(
    {
        "name": ["Barat", '=HYPERLINK("http://x")', "@cmd", "Kecil"],
        "persons": [1500.0, 40.0, 7.0, np.nan],
        "share": [0.04248822155669689, 0.2, 0.035, np.nan],
        "sex_ratio": [101.36, 98.0, 100.0, np.nan],
        "date": pd.to_datetime(["2020-05-29"] * 4),
        "suppressed": [False, False, False, True],
    }
)
COLUMNS = {"name": "text", "persons": "number", "share": "percent", "sex_ratio": "decimal", "date": "date"}


def csv_lines(lang: str) -> list[str]:
    data = exports.to_csv(exports.labelled(FRAME, COLUMNS, lang), HEADER)
    assert data.startswith("\ufeff".encode())
    return data.decode("utf-8-sig").split("\r\n")


def test_indonesian_csv_has_the_header_as_comments_semicolons_and_decimal_commas():
    lines = csv_lines("id")
    assert lines[:6] == [f"# {label}: {text}" for label, text in HEADER] + [""]
    rows = list(csv.reader(lines[6:-1], delimiter=";"))
    assert rows == [
        ["Nama", "Penduduk", "Persentase", "Rasio jenis kelamin", "Tanggal"],
        ["Barat", "1500", "4,25%", "101,36", "2020-05-29"],
        ['\'=HYPERLINK("http://x")', "40", "20,00%", "98", "2020-05-29"],
        ["'@cmd", "7", "3,50%", "100", "2020-05-29"],
        ["Kecil", "<5", "dirahasiakan", "dirahasiakan", "2020-05-29"],
    ]
    assert lines[-1] == ""


def test_english_csv_uses_commas_and_decimal_points():
    rows = list(csv.reader(csv_lines("en")[6:-1]))
    assert rows[0] == ["Name", "Persons", "Share", "Sex ratio", "Date"]
    assert rows[1] == ["Barat", "1500", "4.25%", "101.36", "2020-05-29"]
    assert rows[4] == ["Kecil", "<5", "withheld", "withheld", "2020-05-29"]


def test_a_csv_read_with_its_comments_skipped_gives_the_table():
    data = io.StringIO(exports.to_csv(exports.labelled(FRAME, COLUMNS, "id"), HEADER).decode("utf-8-sig"))
    table = pd.read_csv(data, sep=";", comment="#", decimal=",", na_values=["<5", "dirahasiakan"])
    assert table["Penduduk"].iloc[:3].tolist() == [1500, 40, 7] and table["Penduduk"].isna().iloc[3]
    assert table["Rasio jenis kelamin"].iloc[:3].tolist() == [101.36, 98.0, 100.0]


def test_xlsx_holds_typed_cells_with_number_formats_under_a_merged_header():
    data = exports.to_xlsx(exports.labelled(FRAME, COLUMNS, "id"), HEADER, "piramida")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "piramida"
    assert [(sheet.cell(row, 1).value, sheet.cell(row, 2).value) for row in range(1, 6)] == HEADER
    assert sorted(str(merged) for merged in sheet.merged_cells.ranges) == [f"B{row}:E{row}" for row in range(1, 6)]
    assert all(sheet.cell(6, column).value is None for column in range(1, 6))
    assert [cell.value for cell in sheet[7]] == ["Nama", "Penduduk", "Persentase", "Rasio jenis kelamin", "Tanggal"]
    first = sheet[8]
    assert [cell.value for cell in first[:4]] == ["Barat", 1500, 0.04248822155669689, 101.36]
    assert first[4].value == datetime(2020, 5, 29)
    assert isinstance(first[1].value, int)
    assert [cell.number_format for cell in first] == ["General", "#,##0", "0.0%", "#,##0.0", "yyyy-mm-dd"]
    assert [cell.value for cell in sheet[9][:1]] == ['\'=HYPERLINK("http://x")']
    assert [cell.value for cell in sheet[11][:4]] == ["Kecil", "<5", "dirahasiakan", "dirahasiakan"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_formula_in_the_header_block_is_neutralised_too():
    table = exports.labelled(FRAME.head(1), {"name": "text"}, "id")
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(table, [("Filter", "=cmd|' /C calc'!A0")]))).active
    assert sheet["B1"].value == "'=cmd|' /C calc'!A0"


def test_a_name_with_a_control_character_still_makes_a_workbook():
    table = exports.labelled(FRAME.head(1).assign(name="Kota\x0bLama"), {"name": "text"}, "id")
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(table, [("Wilayah", "Kota\x0bLama")]))).active
    assert (sheet["B1"].value, sheet["A4"].value) == ("Kota Lama", "Kota Lama")
