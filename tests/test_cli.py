"""The command line: build-sample, init, check, the deck and briefing of an area named by code or name, and
the map's boundary file made from a published one."""

import json
from pathlib import Path

import pytest

from sensus.cli import main

BANDUNG_KELURAHAN = Path(__file__).resolve().parent.parent.parent / "shared" / "real" / "bandung" / "kel_3273.geojson"


def test_build_sample_then_check(tmp_path, capsys):
    db = str(tmp_path / "sensus.duckdb")
    assert main(["build-sample", "--db", db]) == 0
    assert main(["check", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Kota Kupang (53.71): 442,758 persons in 6 kecamatan and 51 kelurahan/desa" in out
    assert "FAIL" not in out and out.count("[ok]") == 2 * 5
    assert "[SYNTHETIC]" in out


def test_check_fails_on_a_broken_store(tiny_db, capsys):
    from sensus import store

    with store.replacing(tiny_db) as con:
        con.execute("update population set persons = persons + 1 where area_code = '99.01.01.1001'")
    assert main(["check", "--db", str(tiny_db)]) == 1
    assert (
        "[FAIL] population: every village equals its facts, every area the sum of its child areas"
        in capsys.readouterr().out
    )


def test_check_without_a_store_says_how_to_make_one(tmp_path, capsys):
    missing = tmp_path / "none.duckdb"
    assert main(["check", "--db", str(missing)]) == 2
    assert capsys.readouterr().err == (
        f"error: There is no store at `{missing}`. Make one first: `python -m sensus init --area CODE --db {missing}` "
        f"(areas only; then load tables with `python -m sensus ingest`) or "
        f"`python -m sensus build-sample --db {missing}` (the synthetic sample).\n"
    )
    assert not missing.exists()


def test_check_reads_a_store_cut_short_and_says_what_to_run_without_a_traceback(tiny_db, capsys):
    whole = tiny_db.read_bytes()
    tiny_db.write_bytes(whole[: len(whole) // 2])
    assert main(["check", "--db", str(tiny_db)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: The store `{tiny_db}` is damaged and cannot be read (`IO Error: ")
    assert f"`python -m sensus build-sample --db {tiny_db}`" in captured.err
    assert f"`python -m sensus init --area CODE --db {tiny_db}`" in captured.err
    assert "Traceback" not in captured.err and captured.err.count("\n") == 1


def test_init_by_name_then_check_reports_the_empty_areas(tmp_path, capsys):
    db = str(tmp_path / "samarinda.duckdb")
    assert main(["init", "--name", "Kota Samarinda", "--db", db]) == 0
    assert main(["check", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("New store for Kota Samarinda (64.72)")
    assert "Kota Samarinda (64.72): 0 persons in 10 kecamatan and 59 kelurahan/desa" in out
    assert "[SYNTHETIC]" not in out


def test_init_refuses_an_ambiguous_name_and_an_existing_store(tmp_path, capsys):
    db = str(tmp_path / "sensus.duckdb")
    assert main(["init", "--name", "Kupang", "--db", db]) == 2
    assert "Kabupaten Kupang (53.01); Kota Kupang (53.71)" in capsys.readouterr().err
    assert main(["init", "--area", "53.71", "--db", db]) == 0
    assert main(["init", "--area", "53.71", "--db", db]) == 2
    assert "a store already exists" in capsys.readouterr().err


def test_init_takes_a_name_with_area(tmp_path, capsys):
    assert main(["init", "--area", "Kota Samarinda", "--db", str(tmp_path / "samarinda.duckdb")]) == 0
    assert capsys.readouterr().out.startswith("New store for Kota Samarinda (64.72)")


def test_deck_and_briefing_take_an_area_by_name(sample_db, tmp_path, capsys):
    out = tmp_path / "rakor.html"
    assert (
        main(["briefing", "--db", str(sample_db), "--area", "Kota Lama", "--date", "2020-03-18", "--out", str(out)])
        == 0
    )
    assert capsys.readouterr().out.startswith(f"briefing for Kota Lama (53.71.06) on 2020-03-18 written to {out}")


def test_deck_names_the_nearest_areas_when_none_is_named_so(sample_db, tmp_path, capsys):
    out = tmp_path / "rakor.pptx"
    arguments = ["deck", "--db", str(sample_db), "--date", "2020-03-18", "--out", str(out)]
    assert main([*arguments, "--area", "Kot Lama"]) == 2
    assert capsys.readouterr().err == (
        "error: the store has no area with the code or name 'Kot Lama'; "
        "the nearest are Kota Lama (53.71.06); Kota Raja (53.71.05); Kolhua (53.71.02.1007)\n"
    )
    # Oebobo is a kecamatan and one of its kelurahan.
    assert main([*arguments, "--area", "oebobo"]) == 2
    assert capsys.readouterr().err == (
        "error: 'oebobo' names more than one area of the store: Oebobo (53.71.04); Oebobo (53.71.04.1001); "
        "give the code\n"
    )
    assert not out.exists()


@pytest.mark.skipif(not BANDUNG_KELURAHAN.exists(), reason="../shared/real is not beside the project")
def test_boundaries_makes_the_maps_file_of_bandungs_published_kelurahan(tmp_path, capsys):
    out = tmp_path / "bandung.geojson"
    assert main(["boundaries", str(BANDUNG_KELURAHAN), "--area", "32.73", "--out", str(out)]) == 0
    features = json.loads(out.read_text())["features"]
    assert len(features) == 151
    assert features[0]["properties"] == {"kode": "32.73.01.1001", "nama": "Sukarasa"}
    assert f"151 areas written to {out}" in capsys.readouterr().out
