"""The data checks kept in the store when it is written, and read back for the dashboard, on the
tiny store (see tests/test_queries.py for the checks themselves)."""

from queries import run
from sensus import check, store
from sensus.ingest import ingest_file
from sensus.sample import build_sample

SATU, DUA = "99.01.01.1001", "99.01.01.1002"
ALL_CHECKS = [*check.CHECKS, "check_datasets"]


def summary(results: list[check.CheckResult]) -> list[tuple[str, int]]:
    return [(result.name, result.count) for result in results]


def test_the_sample_build_keeps_its_passing_checks(tmp_path):
    with store.connect(build_sample(tmp_path / "sample.duckdb")) as con:
        kept = run(con, "check_results")
        assert list(kept["name"]) == ALL_CHECKS and (kept["problem_count"] == 0).all()
        assert summary(check.recorded_checks(con)) == [(name, 0) for name in ALL_CHECKS]


def test_a_load_checks_the_store_again_and_keeps_the_result(tiny_db, tmp_path):
    with store.connect(tiny_db) as con:
        before = run(con, "check_results")["checked_at"].max()
    extract = tmp_path / "penduduk.csv"
    extract.write_text("kode_wilayah,jenis_kelamin,umur,jumlah\n99.01.01.1001,1,30,12\n")
    ingest_file("population", extract, db=tiny_db)
    with store.connect(tiny_db) as con:
        kept = run(con, "check_results")
    assert list(kept["name"]) == ALL_CHECKS and (kept["problem_count"] == 0).all()
    assert kept["checked_at"].min() > before


def test_failures_are_kept_with_their_count_and_first_rows(tiny_db, monkeypatch):
    monkeypatch.setattr(check, "KEPT_PROBLEMS", 1)
    with store.replacing(tiny_db) as con:
        con.execute(
            "update online_progress set households_complete = 5 where village_code = ? and date = '2020-03-02'", [SATU]
        )
        con.execute(
            "update online_progress set households_submitted = 250 where village_code = ? and date = '2020-03-01'",
            [DUA],
        )
        check.record_checks(con)
    with store.connect(tiny_db) as con:
        assert con.execute("select count(*) from online_progress where households_submitted = 250").fetchone() == (1,)
        recorded = {result.name: result for result in check.recorded_checks(con)}
    bounds = recorded["check_progress_bounds"]
    # Satu's complete count falls from one day to the next; Dua submitted more than its base; the
    # rollup, not refreshed, no longer equals either village's facts on the day changed.
    assert (bounds.ok, bounds.count, len(bounds.problems)) == (False, 2, 1)
    assert bounds.problems.to_dict("records") == [
        {"source": "online_progress", "unit": SATU, "date": "2020-03-02", "complete": 5, "submitted": 60, "base": 100}
    ]
    assert summary(recorded.values()) == [
        ("check_population_reconciles", 0),
        ("check_online_reconciles", 2),
        ("check_progress_bounds", 2),
        ("check_codes_known", 0),
        ("check_datasets", 0),
    ]


def test_a_store_kept_without_these_checks_runs_them_on_reading(tiny_db, monkeypatch):
    with store.replacing(tiny_db) as con:
        con.execute(
            "update online_progress set households_complete = 5 where village_code = ? and date = '2020-03-02'", [SATU]
        )  # after the checks were kept: only a fresh run sees it
        con.execute("update check_results set name = 'check_retired' where name = 'check_codes_known'")
    monkeypatch.setattr(check, "KEPT_PROBLEMS", 1)
    with store.connect(tiny_db) as con:
        fresh = check.recorded_checks(con)
    assert dict(summary(fresh))["check_progress_bounds"] == 1
    assert [result.name for result in fresh] == ALL_CHECKS
    assert all(len(result.problems) <= 1 for result in fresh)


def test_a_store_written_before_checks_were_kept_runs_them_on_reading(tiny_db):
    with store.replacing(tiny_db) as con:
        con.execute("drop table check_results")
        con.execute(
            "update online_progress set households_complete = 5 where village_code = ? and date = '2020-03-02'", [SATU]
        )
    with store.connect(tiny_db) as con:
        assert dict(summary(check.recorded_checks(con)))["check_progress_bounds"] == 1


def test_the_report_of_a_store_with_several_top_level_areas(tiny_db, tmp_path, capsys):
    from sensus.cli import main

    areas = tmp_path / "wilayah.csv"
    areas.write_text("tingkat;kode;nama;kode_induk\nprovinsi;98;Provinsi Lain;\n")
    ingest_file("areas", areas, db=tiny_db)
    assert main(["check", "--db", str(tiny_db)]) == 0
    printed = capsys.readouterr().out
    assert "Kota Uji (99.01)" in printed and "Provinsi Lain (98)" in printed


def test_the_report_says_what_the_disclosure_control_changes_per_level(tiny):
    # The tiny store's kelurahan cells by sex, age group and education: 12, holding 190 persons; the
    # kecamatan and city totals are exact.
    cells = tiny.execute("select persons, published from protected_cells").df()
    moved = int((cells["persons"] != cells["published"]).sum())
    persons_moved = int((cells["persons"] - cells["published"]).abs().sum())
    lines = check.protection_lines(tiny)
    assert lines[0].startswith("Disclosure control (cell-key method, k = 5:")
    assert [line.split(":")[0] for line in lines[1:]] == ["  regency", "  district", "  village"]
    village = f"  village: {moved} of 12 counts moved (0 of 1-4 persons), {persons_moved} persons moved"
    assert lines[3].startswith(village)
    assert "0 of 2 whole-area totals moved" in lines[2]
