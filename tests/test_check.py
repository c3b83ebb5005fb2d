"""The data checks kept in the store when it is written, and read back for the dashboard, on the
tiny store (see tests/test_queries.py for the checks themselves)."""

import pandas as pd

from sensus import check, store

SATU, DUA = "99.01.01.1001", "99.01.01.1002"


def summary(results: list[check.CheckResult]) -> list[tuple[str, int]]:
    return [(result.name, result.count) for result in results]


def test_a_written_store_keeps_its_passing_checks(tiny):
    recorded = check.recorded_checks(tiny)
    assert summary(recorded) == [(name, 0) for name in [*check.CHECKS, "check_datasets"]]
    assert all(result.ok and result.problems.empty for result in recorded)
    assert tiny.execute("select count(*) from check_results where checked_at is null").fetchone() == (0,)


def test_failures_are_kept_with_their_count_and_first_rows(tiny_db, monkeypatch):
    monkeypatch.setattr(check, "KEPT_PROBLEMS", 1)
    with store.replacing(tiny_db) as con:
        con.execute("update online_progress set households_complete = 5 where village_code = ? and date = '2020-03-02'",
                    [SATU])
        con.execute("update online_progress set households_submitted = 250 where village_code = ? and date = '2020-03-01'",
                    [DUA])
        ran = check.record_checks(con)
    with store.connect(tiny_db) as con:
        recorded = {result.name: result for result in check.recorded_checks(con)}
    assert summary(recorded.values()) == summary(ran)
    bounds = recorded["check_progress_bounds"]
    # Satu's complete count falls from one day to the next; Dua submitted more than its base.
    assert (bounds.ok, bounds.count, len(bounds.problems)) == (False, 2, 1)
    assert bounds.problems.to_dict("records") == [
        {"source": "online_progress", "unit": SATU, "date": "2020-03-02", "complete": 5,
         "submitted": 60, "base": 100}]
    assert not recorded["check_online_reconciles"].ok


def test_a_store_written_before_checks_were_kept_runs_them_on_reading(tiny_db):
    with store.replacing(tiny_db) as con:
        con.execute("drop table check_results")
    with store.connect(tiny_db) as con:
        assert summary(check.recorded_checks(con)) == summary(check.run_checks(con))
        assert isinstance(check.recorded_checks(con)[0].problems, pd.DataFrame)
