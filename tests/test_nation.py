"""The nation-sized synthetic store, built tiny: its hierarchy, totals, grain and checks."""

from datetime import date

import numpy as np
import pytest

from queries import run
from sensus import check, nation, store

TINY = {"persons": 10_000, "provinces": 2, "regencies": 3, "districts": 5, "villages": 9}


@pytest.fixture(scope="module")
def tiny_nation_db(tmp_path_factory):
    return nation.build_nation(tmp_path_factory.mktemp("nation") / "nation.duckdb", seed=7, **TINY)


@pytest.fixture
def con(tiny_nation_db):
    connection = store.connect(tiny_nation_db)
    yield connection
    connection.close()


def test_child_codes_are_numbered_within_each_parent():
    assert nation.child_codes(np.array(["11", "12"]), np.array([2, 1])).tolist() == ["11.01", "11.02", "12.01"]
    assert nation.child_codes(np.array(["11.01.01"]), np.array([2]), prefix="2", width=3).tolist() == [
        "11.01.01.2001",
        "11.01.01.2002",
    ]
    with pytest.raises(ValueError, match="more than 99 children under one parent"):
        nation.child_codes(np.array(["11"]), np.array([100]))


def test_every_parent_has_a_child_and_the_children_add_up():
    counts = nation.children_per_parent(10, 4, np.random.default_rng(1), 0.5)
    assert len(counts) == 4 and counts.sum() == 10 and counts.min() >= 1
    with pytest.raises(ValueError, match="3 areas cannot be spread over 4 parents"):
        nation.children_per_parent(3, 4, np.random.default_rng(1), 0.5)


def test_the_hierarchy_runs_nation_province_regency_district_village(con):
    levels = dict(con.execute("select level, count(*) from areas group by level").fetchall())
    assert levels == {"nation": 1, "province": 2, "regency": 3, "district": 5, "village": 9}
    parent_levels = con.execute(
        """
        select distinct child.level, parent.level
        from areas as child
        left join areas as parent on parent.code = child.parent_code
        order by 1
        """
    ).fetchall()
    assert sorted(parent_levels) == sorted(
        [
            ("nation", None),
            ("province", "nation"),
            ("regency", "province"),
            ("district", "regency"),
            ("village", "district"),
        ]
    )
    provinces = run(con, "child_areas", area=nation.NATION)
    assert provinces["code"].tolist() == ["11", "12"]
    codes = con.execute("select code, parent_code from areas where level != 'nation'").fetchall()
    assert all(code.startswith(parent + ".") for code, parent in codes if parent != nation.NATION)
    villages = con.execute("select code from areas where level = 'village'").fetchall()
    assert all(code.split(".")[-1].startswith("2") and len(code.split(".")[-1]) == 4 for (code,) in villages)


def test_totals_reconcile_and_the_check_passes(con):
    summary = run(con, "store_summary")
    assert summary[["code", "level", "persons", "provinces", "regencies", "districts", "villages"]].values.tolist() == [
        ["ID", "nation", 10_000, 2, 3, 5, 9]
    ]
    assert [result.name for result in check.run_checks(con) if not result.ok] == []
    by_province = run(con, "indicator_counts", area=nation.NATION).set_index("role")
    assert by_province.loc["area", "persons"] == 10_000
    assert by_province.loc["child", "persons"].sum() == 10_000


def test_the_cube_holds_five_year_groups_with_education_from_age_five(con):
    groups = set(con.execute("select distinct age_from, age_to from population").fetchall())
    expected = {(lower, lower + 4) for lower in range(0, 75, 5)} | {(75, None)}
    assert groups <= expected and (0, 4) in groups
    education_missing = con.execute(
        "select age_from < 5 as young, bool_and(education is null), bool_or(education is null) "
        "from population group by 1 order by 1"
    ).fetchall()
    assert education_missing == [(False, False, False), (True, True, True)]
    assert con.execute("select min(persons) > 0 from population").fetchone()[0]


def test_sp_online_is_daily_through_the_window_and_never_exceeds_its_base(con):
    trend = run(con, "online_trend", area=nation.NATION)
    days = trend["date"]
    assert (days.iloc[0], days.iloc[-1], len(days)) == (date(2020, 2, 15), date(2020, 5, 29), 14 + 31 + 30 + 29 + 1)
    assert trend["submitted"].iloc[0] == 0
    assert (trend["complete"] <= trend["submitted"]).all() and (trend["submitted"] <= trend["base"]).all()
    assert trend["submitted"].is_monotonic_increasing and trend["complete"].is_monotonic_increasing


def test_the_same_seed_gives_the_same_store(tmp_path, tiny_nation_db):
    again = nation.build_nation(tmp_path / "again.duckdb", seed=7, **TINY)
    other = nation.build_nation(tmp_path / "other.duckdb", seed=8, **TINY)
    digests = []
    for path in (tiny_nation_db, again, other):
        with store.connect(path) as con:
            digests.append(run(con, "datasets")["sha256"].iloc[0])
    assert digests[0] == digests[1] != digests[2]
