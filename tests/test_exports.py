"""Downloads: the header block, labels and withheld cells, formula neutralising, CSV and XLSX."""

import csv
import io

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
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
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


def test_labelled_table_names_codes_and_marks_withheld_counts_and_shares():
    table = exports.labelled(
        PYRAMID, {"age_group": "text", "sex": "sex", "persons": "number", "share": "percent"}, "id"
    )
    assert list(table.columns) == ["Kelompok umur", "Jenis kelamin", "Penduduk", "Persentase"]
    assert table.values.tolist() == [["0-4", "Laki-laki", "<5", "dirahasiakan"], ["0-4", "Perempuan", 12.0, 0.6]]
    english = exports.labelled(PYRAMID, {"sex": "sex", "persons": "number"}, "en", headers={"persons": "People"})
    assert english.values.tolist() == [["Male", "<5"], ["Female", 12.0]]
    assert list(english.columns) == ["Sex", "People"]


def test_shown_table_writes_numbers_as_the_language_does():
    frame = pd.DataFrame({"name": ["Barat"], "persons": [1500], "share": [0.2795], "sex_ratio": [101.36]})
    columns = {"name": "text", "persons": "number", "share": "percent", "sex_ratio": "decimal"}
    assert exports.shown(exports.labelled(frame, columns, "id"), columns, "id").values.tolist() == [
        ["Barat", "1.500", "27,95%", "101,4"]
    ]
    assert exports.shown(exports.labelled(frame, columns, "en"), columns, "en").values.tolist() == [
        ["Barat", "1,500", "27.95%", "101.4"]
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


TABLE = pd.DataFrame(
    {"Wilayah": ["Barat", '=HYPERLINK("http://x")', "@cmd"], "Penduduk": [150, 40, 7], "Persentase": [0.75, 0.2, 0.035]}
)


def test_csv_has_the_header_block_then_the_table_with_formulas_neutralised():
    data = exports.to_csv(TABLE, HEADER)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["Judul", "Piramida penduduk"],
        ["Sumber", "Data sintetis (sensus.sample)"],
        ["Wilayah", "Barat (99.01.01)"],
        ["Tanggal data", "2 Maret 2020"],
        ["Filter", "Kecamatan: Barat"],
        [],
        ["Wilayah", "Penduduk", "Persentase"],
        ["Barat", "150", "0.75"],
        ['\'=HYPERLINK("http://x")', "40", "0.2"],
        ["'@cmd", "7", "0.035"],
    ]


def test_xlsx_opens_with_the_same_numbers_and_no_formula():
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(TABLE, HEADER, "piramida"))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "piramida"
    assert values[:6] == [[*line, None] for line in HEADER] + [[None, None, None]]
    assert values[6:] == [
        ["Wilayah", "Penduduk", "Persentase"],
        ["Barat", 150, 0.75],
        ['\'=HYPERLINK("http://x")', 40, 0.2],
        ["'@cmd", 7, 0.035],
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_formula_in_the_header_block_is_neutralised_too():
    data = exports.to_csv(TABLE.head(1), [("Filter", "=cmd|' /C calc'!A0")])
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[0] == ["Filter", "'=cmd|' /C calc'!A0"]
