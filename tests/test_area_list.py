"""The national area list and `init`: any province or kabupaten/kota, found by code or name, starts an
empty store with every area below it."""

import csv
from pathlib import Path

import pytest

from queries import run
from sensus import area_list, check, store

SHARED_LIST = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "wilayah_kemendagri_2025.csv"


@pytest.mark.parametrize(
    ("asked", "code"),
    [
        ({"code": "32.73"}, "32.73"),
        ({"name": "Kota Bandung"}, "32.73"),
        ({"name": "  kota   BANDUNG "}, "32.73"),
        ({"name": "Samarinda"}, "64.72"),
        ({"name": "Kab. Kupang"}, "53.01"),
        ({"name": "Nusa Tenggara Timur"}, "53"),
    ],
)
def test_an_area_is_found_by_code_or_name(asked, code):
    assert area_list.find(**asked)["code"] == code


def test_a_name_of_two_areas_lists_both():
    with pytest.raises(area_list.AreaNotFound) as refused:
        area_list.find(name="Kupang")
    assert str(refused.value) == (
        "'Kupang' names more than one area: Kabupaten Kupang (53.01); Kota Kupang (53.71); give the code with --area"
    )


def test_an_unknown_name_suggests_the_nearest():
    with pytest.raises(area_list.AreaNotFound) as refused:
        area_list.find(name="Kota Bandong")
    assert "the nearest are Kota Bandung (32.73)" in str(refused.value)


def test_a_kecamatan_code_is_not_a_starting_area():
    with pytest.raises(area_list.AreaNotFound):
        area_list.find(code="32.73.01")


@pytest.mark.parametrize(
    ("asked", "code"),
    [("99.01.02", "99.01.02"), ("Timur", "99.01.02"), ("  DUA ", "99.01.01.1002"), ("Kota U", "99.01")],
)
def test_an_area_of_the_store_is_found_by_code_name_or_the_start_of_its_name(tiny_db, asked, code):
    with store.connect(tiny_db) as con:
        assert area_list.in_store(con, asked) == code


def test_an_unknown_area_of_the_store_suggests_the_nearest_names_first(tiny_db):
    with store.connect(tiny_db) as con, pytest.raises(area_list.AreaNotFound) as refused:
        area_list.in_store(con, "Timor")
    assert str(refused.value).startswith(
        "the store has no area with the code or name 'Timor'; the nearest are Timur (99.01.02)"
    )


def test_the_bundled_list_is_the_published_one():
    with SHARED_LIST.open(newline="") as handle:
        published = {row["kode"]: row["nama"].strip() for row in csv.DictReader(handle)}
    bundled = area_list.national_areas()
    assert dict(zip(bundled["code"], bundled["name"])) == published


def test_init_makes_an_empty_store_of_kota_bandung(tmp_path):
    path, area, count = area_list.init_store(tmp_path / "bandung.duckdb", "32.73")
    with SHARED_LIST.open(newline="") as handle:
        codes = [row["kode"] for row in csv.DictReader(handle)]
    expected = sorted(code for code in codes if code == "32.73" or code.startswith("32.73."))
    with store.connect(path) as con:
        areas = con.execute("select code, level, parent_code from areas order by code").df()
        summary = run(con, "store_summary")
        text, ok = check.report(con)
        datasets = run(con, "datasets")
    assert (area["name"], count) == ("Kota Bandung", len(expected))
    assert areas["code"].tolist() == expected
    assert areas["level"].value_counts().to_dict() == {
        "regency": 1,
        "district": sum(code.count(".") == 2 for code in expected),
        "village": sum(code.count(".") == 3 for code in expected),
    }
    parents = dict(zip(areas["code"], areas["parent_code"].fillna("")))
    assert parents["32.73"] == ""
    assert parents["32.73.01.1001"] == "32.73.01" and parents["32.73.01"] == "32.73"
    assert summary[["code", "persons", "districts"]].to_dict("records") == [
        {"code": "32.73", "persons": 0, "districts": 30}
    ]
    assert ok, text
    assert datasets[["kind", "synthetic", "source_file"]].to_dict("records") == [
        {"kind": "areas", "synthetic": False, "source_file": "wilayah_kemendagri_2025.csv.gz"}
    ]


def test_init_of_kota_kupang_takes_the_bundled_bps_codes_and_areas(tmp_path):
    path, _, _ = area_list.init_store(tmp_path / "kupang.duckdb", "53.71")
    with store.connect(path) as con:
        city = con.execute("select bps_code, area_km2 from areas where code = '53.71'").fetchone()
    assert city == ("5371", 180.27)


def test_init_never_replaces_a_store(tmp_path):
    path = tmp_path / "sensus.duckdb"
    path.write_bytes(b"kept")
    with pytest.raises(FileExistsError):
        area_list.init_store(path, "32.73")
    assert path.read_bytes() == b"kept"
