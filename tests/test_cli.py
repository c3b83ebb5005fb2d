"""The command line: build-sample, init and check."""

from sensus.cli import main


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
