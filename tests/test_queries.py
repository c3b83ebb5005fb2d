"""Every SQL file in queries/ on the tiny store, with the right answers worked out by hand.

The tiny store (tests/conftest.py): Kota Uji 99.01 with districts Barat 99.01.01 (villages Satu 1001,
Dua 1002) and Timur 99.01.02 (village Tiga 1001). Persons: Satu 70 (35 m, 35 f), Dua 80 (40 m, 40 f),
Tiga 40 (32 m, 8 f); Barat 150, Timur 40, Kota Uji 190."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import insert_population

import queries
from queries import run
from sensus import store

BARAT, TIMUR, CITY = "99.01.01", "99.01.02", "99.01"
SATU, DUA, TIGA = "99.01.01.1001", "99.01.01.1002", "99.01.02.1001"


def records(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(row) for row in frame[columns].itertuples(index=False)]


def test_every_query_file_is_tested_here():
    source = Path(__file__).read_text()
    untested = [name for name in queries.names() if f'"{name}"' not in source]
    assert untested == []


def test_area_with_parent(tiny):
    found = run(tiny, "area", area=BARAT)
    assert records(found, ["code", "name", "level", "parent_code", "parent_name", "area_km2"]) == [
        (BARAT, "Barat", "district", CITY, "Kota Uji", 4.0)
    ]
    assert run(tiny, "area", area="00.00").empty


def test_child_areas(tiny):
    assert records(run(tiny, "child_areas", area=None), ["code", "level"]) == [(CITY, "regency")]
    assert records(run(tiny, "child_areas", area=CITY), ["code", "name"]) == [(BARAT, "Barat"), (TIMUR, "Timur")]
    assert run(tiny, "child_areas", area=SATU).empty


def test_compare_options(tiny):
    # From the city: its districts and their villages (no siblings: it is the top); from a district:
    # itself, its sibling and its villages; from a village: itself and its sibling.
    assert run(tiny, "compare_options", area=CITY)["code"].tolist() == [BARAT, SATU, DUA, TIMUR, TIGA]
    assert records(run(tiny, "compare_options", area=BARAT), ["code", "level", "parent_code"]) == [
        (BARAT, "district", CITY),
        (SATU, "village", BARAT),
        (DUA, "village", BARAT),
        (TIMUR, "district", CITY),
    ]
    assert run(tiny, "compare_options", area=SATU)["code"].tolist() == [SATU, DUA]


def test_indicator_counts_for_area_parent_and_children(tiny):
    counts = run(tiny, "indicator_counts", area=BARAT)
    columns = [
        "code",
        "role",
        "persons",
        "male",
        "female",
        "age_0_14",
        "age_15_64",
        "age_65_plus",
        "with_education",
        "higher_education",
        "area_km2",
    ]
    assert records(counts, columns) == [
        (BARAT, "area", 150, 75, 75, 30, 110, 10, 130, 60, 4.0),
        (SATU, "child", 70, 35, 35, 20, 40, 10, 50, 20, 1.0),
        (DUA, "child", 80, 40, 40, 10, 70, 0, 80, 40, 3.0),
        (CITY, "parent", 190, 107, 83, 42, 130, 18, 158, 80, 10.0),
    ]


def test_indicator_counts_on_the_edges_of_the_broad_age_groups(edges):
    # Satu: 14 (6) is young, 15 (7) and 64 (8) of working age, 65 (9) old; Tiga: 10-14 (10) young,
    # 15-19 (20) and 60-64 (30) of working age, 65-69 (40) old.
    counts = run(edges, "indicator_counts", area=CITY)
    assert records(counts, ["code", "persons", "age_0_14", "age_15_64", "age_65_plus"]) == [
        (CITY, 130, 16, 65, 49),
        (BARAT, 30, 6, 15, 9),
        (TIMUR, 100, 10, 50, 40),
    ]


@pytest.mark.parametrize("fixture", ["tiny", "edges", "sample"])
def test_broad_age_groups_add_up_to_the_population_of_every_area(fixture, request):
    con = request.getfixturevalue(fixture)
    codes = [code for (code,) in con.execute("select code from areas").fetchall()]
    for code in codes:
        counts = run(con, "indicator_counts", area=code)
        assert (counts["age_0_14"] + counts["age_15_64"] + counts["age_65_plus"]).tolist() == counts["persons"].tolist()


def test_age_distribution(tiny):
    ages = run(tiny, "age_distribution", area=BARAT)
    assert sorted(ages["code"].unique()) == [CITY, BARAT, SATU, DUA]
    assert records(ages[ages["code"] == BARAT], ["age_from", "age_to", "persons"]) == [
        (3, 3, 20),
        (10, 10, 10),
        (20, 20, 70),
        (30, 30, 40),
        (70, 70, 10),
    ]
    assert records(ages[ages["code"] == CITY].head(2), ["age_from", "age_to", "persons"]) == [(0, 4, 12), (3, 3, 20)]


def test_population_pyramid_has_every_group_and_sex(tiny):
    pyramid = run(tiny, "population_pyramid", area=TIGA)
    assert len(pyramid) == 16 * 2
    nonzero = pyramid[pyramid["persons"] > 0]
    assert records(nonzero, ["age_group", "sex", "persons", "share"]) == [
        ("0-4", 1, 12, 12 / 40),
        ("40-44", 1, 20, 20 / 40),
        ("65-69", 2, 8, 8 / 40),
    ]
    assert pyramid["share"].sum() == pytest.approx(1.0)


def test_population_pyramid_by_age_alone(tiny):
    pyramid = run(tiny, "population_pyramid", area=TIGA, needs=["age"])
    nonzero = pyramid[pyramid["persons"] > 0]
    assert len(pyramid) == 16 and pyramid["sex"].isna().all()
    assert records(nonzero, ["age_group", "persons"]) == [("0-4", 12), ("40-44", 20), ("65-69", 8)]


def test_population_pyramid_open_top_group(tiny):
    pyramid = run(tiny, "population_pyramid", area=SATU)
    nonzero = pyramid[pyramid["persons"] > 0]
    assert records(nonzero, ["age_group", "sex", "persons"]) == [
        ("0-4", 1, 10),
        ("0-4", 2, 10),
        ("30-34", 1, 20),
        ("30-34", 2, 20),
        ("70-74", 1, 5),
        ("70-74", 2, 5),
    ]


def test_education_by_sex(tiny):
    education = run(tiny, "education_by_sex", area=BARAT)
    assert len(education) == 8 * 2
    nonzero = education[education["persons"] > 0]
    assert records(nonzero, ["education", "sex", "persons", "share"]) == [
        (2, 1, 15, 15 / 65),
        (3, 2, 5, 5 / 65),
        (5, 1, 30, 30 / 65),
        (5, 2, 20, 20 / 65),
        (7, 1, 20, 20 / 65),
        (7, 2, 40, 40 / 65),
    ]


def test_education_by_age_shares_within_group(tiny):
    education = run(tiny, "education_by_age", area=SATU)
    assert len(education) == 15 * 8  # age groups from 5-9 to 75+, eight levels
    nonzero = education[education["persons"] > 0]
    assert records(nonzero, ["age_group", "education", "persons", "share"]) == [
        ("30-34", 5, 20, 0.5),
        ("30-34", 7, 20, 0.5),
        ("70-74", 2, 5, 0.5),
        ("70-74", 3, 5, 0.5),
    ]
    assert education.loc[education["age_group"] == "5-9", "share"].isna().all()


def test_education_by_child_area_ranked_by_higher_share(tiny):
    education = run(tiny, "education_by_child_area", area=CITY)
    assert len(education) == 2 * 8
    ranks = education.drop_duplicates("code")
    assert records(ranks, ["code", "higher_share", "rank"]) == [(TIMUR, 20 / 28, 1), (BARAT, 60 / 130, 2)]
    timur = education[(education["code"] == TIMUR) & (education["persons"] > 0)]
    assert records(timur, ["education", "persons", "share"]) == [(1, 8, 8 / 28), (8, 20, 20 / 28)]


def test_online_by_child_area(tiny):
    online = run(tiny, "online_by_child_area", area=CITY, date=date(2020, 3, 2))
    assert records(
        online, ["code", "base", "submitted", "complete", "rate", "submitted_rate", "target", "gap", "rank"]
    ) == [
        (BARAT, 300, 110, 90, 0.3, 110 / 300, 0.5, 60, 1),
        (TIMUR, 100, 15, 10, 0.1, 0.15, 0.5, 40, 2),
    ]


def test_online_by_child_area_uses_an_area_target_over_the_default(tiny_db):
    with store.replacing(tiny_db) as con:
        con.execute("insert into targets values ('online_households', ?, 0.2, 'test')", [TIMUR])
    with store.connect(tiny_db) as con:
        online = run(con, "online_by_child_area", area=CITY, date=date(2020, 3, 2))
    assert records(online, ["code", "target", "gap"]) == [(BARAT, 0.5, 60), (TIMUR, 0.2, 10)]


def test_online_trend_cumulative_and_new(tiny):
    trend = run(tiny, "online_trend", area=CITY)
    assert records(trend, ["base", "submitted", "complete", "new_submitted", "new_complete", "rate", "target"]) == [
        (400, 70, 45, 70, 45, 45 / 400, 0.5),
        (400, 125, 100, 55, 55, 0.25, 0.5),
    ]
    assert list(trend["date"]) == [date(2020, 3, 1), date(2020, 3, 2)]


def test_online_villages_within_an_area(tiny):
    villages = run(tiny, "online_villages", area=BARAT, date=date(2020, 3, 2))
    assert records(villages, ["code", "district_name", "base", "complete", "rate", "gap"]) == [
        (DUA, "Barat", 200, 40, 0.2, 60),
        (SATU, "Barat", 100, 50, 0.5, 0),
    ]


def test_asn_by_agency_serves_the_areas_below_its_regency(tiny):
    asn = run(tiny, "asn_by_agency", area=SATU, date=date(2020, 3, 18))
    assert records(asn, ["code", "short_name", "employees", "complete", "rate", "target", "gap", "rank"]) == [
        ("A1", "D1", 10, 9, 0.9, 0.8, 0, 1),
        ("A2", "D2", 40, 12, 0.3, 0.8, 20, 2),
    ]


def test_asn_home_areas_are_the_agencies_areas_above_or_at_the_area(tiny):
    # Both agencies belong to Kota Uji: every area in it is served there; an unknown area by none.
    assert records(run(tiny, "asn_home_areas", area=SATU), ["code", "name"]) == [(CITY, "Kota Uji")]
    assert records(run(tiny, "asn_home_areas", area=CITY), ["code", "name"]) == [(CITY, "Kota Uji")]
    assert run(tiny, "asn_home_areas", area="00.00").empty


def test_asn_by_agency_leaves_out_an_agency_of_fewer_than_k_employees(tiny_db, monkeypatch):
    # A1 has 10 employees: with k = 11 it is not listed on its own while protection is on.
    with store.replacing(tiny_db) as con:
        con.execute("update protection_settings set min_cell = 11")
    with store.connect(tiny_db) as con:
        assert run(con, "asn_by_agency", area=SATU, date=date(2020, 3, 18))["code"].tolist() == ["A1", "A2"]
        monkeypatch.delenv("SENSUS_PROTECTION")
        assert records(run(con, "asn_by_agency", area=SATU, date=date(2020, 3, 18)), ["code", "rank"]) == [("A2", 1)]


def test_protection_utility_counts_the_cells_of_each_level(tiny):
    # The tiny store's cells by sex, age group and education: Satu 6, Dua 3, Tiga 3 (village); Barat 9 and
    # Timur 3 (district); the city 11 (Satu and Tiga share men aged 0-4 without education). 190 persons.
    figures = run(tiny, "protection_utility").set_index("level")
    cells = tiny.execute("select persons, published from protected_cells").df()
    assert figures.index.tolist() == ["regency", "district", "village"]
    assert figures["cells"].tolist() == [11, 12, 12] and figures["small"].tolist() == [0, 0, 0]
    assert figures["persons"].tolist() == [190, 190, 190] and figures["totals"].tolist() == [1, 2, 3]
    assert figures.loc["village", "moved"] == (cells["persons"] != cells["published"]).sum()
    assert figures.loc["village", "persons_moved"] == (cells["persons"] - cells["published"]).abs().sum()
    assert figures.loc[["regency", "district"], "totals_moved"].tolist() == [0, 0]


def test_asn_queries_use_the_area_s_own_target_over_the_default(tiny_db):
    # Barat's own 90%: A2's 40 employees need ceil(36) - 12 = 24 more; the city keeps the default 80%.
    with store.replacing(tiny_db) as con:
        con.execute("insert into targets values ('asn', ?, 0.9, 'own')", [BARAT])
    with store.connect(tiny_db) as con:
        asn = run(con, "asn_by_agency", area=BARAT, date=date(2020, 3, 18))
        assert records(asn, ["code", "target", "gap"]) == [("A1", 0.9, 0), ("A2", 0.9, 24)]
        assert run(con, "asn_trend", area=BARAT)["target"].tolist() == [0.9, 0.9]
        assert run(con, "asn_trend", area=CITY)["target"].tolist() == [0.8, 0.8]


def test_queries_read_the_store_s_views_through_a_fresh_connection(tiny_db):
    with store.connect_afresh(tiny_db) as con:
        assert records(run(con, "targets", area=SATU), ["indicator", "share"]) == [
            ("asn", 0.8),
            ("online_households", 0.5),
        ]
        assert run(con, "asn_trend", area=CITY)["complete"].tolist() == [12, 21]


def test_population_questions_use_the_macros_a_fresh_connection_holds_in_its_catalog(tiny_db):
    with store.connect_afresh(tiny_db) as con:
        held = con.cursor().execute(  # as a query's own cursor sees them: in the connection's catalog, not temporary
            "select function_name from duckdb_functions() where function_type = 'table_macro' and not internal"
        )
        assert {name for (name,) in held.fetchall()} == {"population_of", "population_total_of"}
        counts = run(con, "indicator_counts", area=BARAT)
        assert records(counts, ["code", "persons", "male", "female"]) == [
            (BARAT, 150, 75, 75),
            (SATU, 70, 35, 35),
            (DUA, 80, 40, 40),
            (CITY, 190, 107, 83),
        ]
        assert run(con, "population_pyramid", area=TIMUR).groupby("sex")["persons"].sum().to_dict() == {1: 32, 2: 8}


def test_a_fresh_connection_runs_a_question_once_and_gives_each_caller_its_own_copy(tiny_db, monkeypatch):
    executed = []
    execute = queries.execute
    monkeypatch.setattr(
        queries, "execute", lambda con, name, **params: executed.append(name) or execute(con, name, **params)
    )
    with store.connect_afresh(tiny_db) as con:
        first = run(con, "population_pyramid", area=TIMUR)
        first["persons"] = 0  # a caller changing its answer changes no one else's
        again = run(con, "population_pyramid", area=TIMUR, period=None, needs=["sex", "age"])  # the same question
        assert again.groupby("sex")["persons"].sum().to_dict() == {1: 32, 2: 8}
        assert run(con, "population_pyramid", area=BARAT)["persons"].sum() == 150
        assert len(executed) == 2  # Timur once, Barat once
    with store.connect(tiny_db) as con:  # a connection to a store that may change: every question is run
        run(con, "area", area=TIMUR)
        run(con, "area", area=TIMUR)
        assert len(executed) == 4


def test_a_fresh_connection_opens_a_store_without_population_tables(tmp_path):
    with store.replacing(tmp_path / "new.duckdb", fresh=True):
        pass
    with store.connect_afresh(tmp_path / "new.duckdb") as con:
        assert run(con, "areas_below", area=CITY).empty


def test_asn_trend(tiny):
    trend = run(tiny, "asn_trend", area=CITY)
    assert records(trend, ["employees", "complete", "rate", "target"]) == [(50, 12, 0.24, 0.8), (50, 21, 0.42, 0.8)]


def test_datasets_and_current_datasets(tiny):
    assert records(run(tiny, "datasets"), ["id", "kind", "source_file", "synthetic"]) == [(1, "sample", "tiny", True)]
    current = run(tiny, "current_datasets")
    assert records(current, ["fact", "id"]) == [("areas", 1), ("asn", 1), ("online", 1), ("population", 1)]


def test_current_datasets_prefers_the_latest_load_of_its_kind(tiny_db):
    with store.replacing(tiny_db) as con:
        store.record_dataset(
            con,
            kind="population",
            source_file="sensus.csv",
            sha256="f" * 64,
            rows_read=3,
            persons_read=190,
            synthetic=False,
            description_key="dataset.file",
            description_values={"kind": "population", "file": "sensus.csv", "format": "CSV"},
            dimensions=["sex"],
        )
        con.execute("delete from population")
        insert_population(con, 2, [(SATU, 1, None, None, None, 190)])
        store.refresh_rollups(con)
    with store.connect(tiny_db) as con:
        current = run(con, "current_datasets")
    assert records(current, ["fact", "id", "synthetic"]) == [
        ("areas", 1, True),
        ("asn", 1, True),
        ("online", 1, True),
        ("population", 2, False),
    ]


def test_targets_prefer_the_area_s_own(tiny_db):
    with store.replacing(tiny_db) as con:
        con.execute("insert into targets values ('online_households', '99.01.01', 0.6, 'own')")
    with store.connect(tiny_db) as con:
        assert records(run(con, "targets", area=BARAT), ["indicator", "share", "source"]) == [
            ("asn", 0.8, "test"),
            ("online_households", 0.6, "own"),
        ]
        assert records(run(con, "targets", area=TIMUR), ["indicator", "share", "source"]) == [
            ("asn", 0.8, "test"),
            ("online_households", 0.5, "test"),
        ]


def test_timeline(tiny):
    timeline = run(tiny, "timeline").set_index("key")
    assert timeline.loc["online_original", "date_start"] == date(2020, 2, 15)
    assert timeline.loc["online_original", "date_end"] == date(2020, 3, 31)
    assert timeline.loc["online_extension", "date_end"] == date(2020, 5, 29)


def test_store_summary(tiny):
    summary = run(tiny, "store_summary")
    assert records(summary, ["code", "persons", "provinces", "regencies", "districts", "villages"]) == [
        (CITY, 190, 0, 1, 2, 3)
    ]


def held(frame: pd.DataFrame) -> dict[str, tuple[bool, bool]]:
    return {row.fact: (row.in_store, row.in_area) for row in frame.itertuples()}


def test_facts_held_in_the_store_and_in_an_area(tiny):
    facts = ["population", "sex", "age", "education", "online", "asn", "online_target", "asn_target"]
    assert run(tiny, "facts_held", area=None)["fact"].tolist() == facts
    everything = {fact: (True, True) for fact in facts}
    assert held(run(tiny, "facts_held", area=TIMUR)) == everything
    assert held(run(tiny, "facts_held", area=SATU)) == everything
    nowhere = {fact: (True, False) for fact in facts}
    assert held(run(tiny, "facts_held", area=None)) == nowhere
    assert held(run(tiny, "facts_held", area="00.00")) == nowhere


def test_facts_held_where_some_areas_lack_them(tiny_db):
    # Timur's one village (Tiga) loses its SP Online rows; the population has no education; no ASN;
    # only Barat has an SP Online target, and there is no ASN target.
    with store.replacing(tiny_db) as con:
        con.execute("delete from online_progress where village_code = '99.01.02.1001'")
        con.execute("update population set education = null")
        con.execute("update datasets set dimensions = ['sex', 'age']")
        con.execute("delete from asn_progress")
        con.execute("delete from targets")
        con.execute("insert into targets values ('online_households', '99.01.01', 0.6, 'own')")
        store.refresh_rollups(con)
    with store.connect(tiny_db) as con:
        assert held(run(con, "facts_held", area=TIMUR)) == {
            "population": (True, True),
            "sex": (True, True),
            "age": (True, True),
            "education": (False, False),
            "online": (True, False),
            "asn": (False, False),
            "online_target": (True, False),
            "asn_target": (False, False),
        }
        barat = held(run(con, "facts_held", area=BARAT))
        assert (barat["online"], barat["online_target"]) == ((True, True), (True, True))


def test_facts_held_in_a_store_of_areas_only(tiny_db):
    with store.replacing(tiny_db) as con:
        for table in ("population", "online_progress", "asn_progress", "targets"):
            con.execute(f"delete from {table}")
        store.refresh_rollups(con)
    with store.connect(tiny_db) as con:
        assert set(held(run(con, "facts_held", area=CITY)).values()) == {(False, False)}


def test_areas_below(tiny):
    assert records(run(tiny, "areas_below", area=CITY), ["level", "areas"]) == [("district", 2), ("village", 3)]
    assert records(run(tiny, "areas_below", area=BARAT), ["level", "areas"]) == [("village", 2)]
    assert run(tiny, "areas_below", area=SATU).empty


def test_checks_pass_on_a_consistent_store(tiny):
    for name in [
        "check_population_reconciles",
        "check_online_reconciles",
        "check_progress_bounds",
        "check_codes_known",
    ]:
        assert run(tiny, name).empty, name


def test_check_results(tiny):
    # The tiny store keeps the checks it was written with, in the order they ran: all passed.
    kept = run(tiny, "check_results")
    assert records(kept, ["name", "problem_count", "first_problems"]) == [
        (name, 0, "[]")
        for name in [
            "check_population_reconciles",
            "check_online_reconciles",
            "check_progress_bounds",
            "check_codes_known",
            "check_datasets",
        ]
    ]
    assert kept["checked_at"].notna().all()


def test_checks_find_what_is_wrong(tiny_db):
    with store.replacing(tiny_db) as con:
        con.execute("delete from population_by_area where area_code = ? and age_from = 3", [SATU])
        con.execute("insert into population values (1, '2020', '99.99.99.9999', 3, 1, 1, 9, -1)")
        con.execute(
            "update online_by_area set households_complete = 0 where area_code = ? and date = '2020-03-02'", [BARAT]
        )
        con.execute(
            "update online_progress set households_complete = 70 where village_code = ? and date = '2020-03-02'", [SATU]
        )
        con.execute("update asn_progress set complete = 1 where agency_code = 'A2' and date = '2020-03-18'")
    with store.connect(tiny_db) as con:
        # Satu's rollup lost 20 persons; the unknown village has facts but no rollup.
        assert records(run(con, "check_population_reconciles"), ["code", "persons", "parts_persons"]) == [
            (BARAT, 150, 130),
            (SATU, 50, 70),
            ("99.99.99.9999", 0, -1),
        ]
        # Barat's own row no longer matches its villages, and so the city no longer matches Barat.
        assert records(run(con, "check_online_reconciles"), ["code", "households_complete", "parts_complete"]) == [
            (CITY, 100, 10),
            (BARAT, 0, 90),
            (SATU, 50, 70),
        ]
        assert records(run(con, "check_progress_bounds"), ["source", "unit", "complete", "submitted", "base"]) == [
            ("asn_progress", "A2", 1, 1, 40),
            ("online_progress", SATU, 70, 60, 100),
        ]
        assert records(run(con, "check_codes_known"), ["field", "code"]) == [
            ("population.area_code", "99.99.99.9999"),
            ("population.education", "9"),
            ("population.persons", "-1"),
            ("population.sex", "3"),
        ]


def test_progress_bounds_find_falls_across_gaps_but_not_between_villages(tiny_db):
    with store.replacing(tiny_db) as con:
        # Satu falls from 10 to 5 the next day; Dua's first day has more submitted than base, and Dua
        # falls from 40 to 35 two days later, with no row in between; agency A1 falls from 2 to 1.
        con.execute(
            "update online_progress set households_complete = 5 where village_code = ? and date = '2020-03-02'", [SATU]
        )
        con.execute(
            "update online_progress set households_submitted = 250 where village_code = ? and date = '2020-03-01'",
            [DUA],
        )
        con.execute("insert into online_progress values ('2020-03-04', ?, 200, 50, 35)", [DUA])
        con.execute("update asn_progress set complete = 1 where agency_code = 'A1' and date = '2020-03-18'")
    with store.connect(tiny_db) as con:
        found = run(con, "check_progress_bounds")
    # Tiga's first day (5) is below Dua's last (35), but that is another village, not a fall.
    assert records(found, ["source", "unit", "date", "complete", "submitted", "base"]) == [
        ("asn_progress", "A1", date(2020, 3, 18), 1, 1, 10),
        ("online_progress", SATU, date(2020, 3, 2), 5, 60, 100),
        ("online_progress", DUA, date(2020, 3, 1), 30, 250, 200),
        ("online_progress", DUA, date(2020, 3, 4), 35, 50, 200),
    ]


def test_online_reconciles_finds_a_village_day_stored_twice(tiny_db):
    # The same second row in the facts and in the rollup: each of Dua's two rows for the day differs
    # from the other rollup row, and Barat counts both.
    with store.replacing(tiny_db) as con:
        con.execute("insert into online_progress values ('2020-03-02', ?, 200, 55, 45)", [DUA])
        con.execute("insert into online_by_area values (?, '2020-03-02', 200, 55, 45)", [DUA])
    with store.connect(tiny_db) as con:
        found = run(con, "check_online_reconciles")
    assert list(found["code"]) == [BARAT, DUA, DUA]
    assert sorted(
        records(found, ["code", "households_base", "parts_base", "households_complete", "parts_complete"])
    ) == [(BARAT, 300, 500, 90, 135), (DUA, 200, 200, 40, 45), (DUA, 200, 200, 45, 40)]


def test_online_reconciles_finds_a_parent_day_stored_twice(tiny_db):
    # A second row for Barat's day, all zeros: the sum over its villages still equals its rows' sum.
    with store.replacing(tiny_db) as con:
        con.execute("insert into online_by_area values (?, '2020-03-02', 0, 0, 0)", [BARAT])
    with store.connect(tiny_db) as con:
        found = run(con, "check_online_reconciles")
    assert records(found, ["code", "households_base", "parts_base", "households_complete", "parts_complete"]) == [
        (BARAT, 0, 300, 0, 90)
    ]


def test_online_reconciles_finds_a_missing_count(tiny_db):
    # Tiga's rollup lacks its base on a day, Timur's says 0 and the city's 300: a sum that skipped the
    # missing count would find every area equal to its child areas.
    with store.replacing(tiny_db) as con:
        for area, base in [(TIGA, None), (TIMUR, 0), (CITY, 300)]:
            con.execute(
                "update online_by_area set households_base = ? where area_code = ? and date = '2020-03-02'",
                [base, area],
            )
    with store.connect(tiny_db) as con:
        found = run(con, "check_online_reconciles")
    assert records(
        found.astype({"households_base": object, "parts_base": object}).replace({pd.NA: None}),
        ["code", "households_base", "parts_base"],
    ) == [(TIMUR, 0, None), (TIGA, None, 100)]


def test_online_reconciles_finds_rollup_rows_under_another_village(tiny_db):
    # Satu's and Dua's rollup rows swap codes: each village's own rows are now the other's.
    with store.replacing(tiny_db) as con:
        con.execute(
            "update online_by_area set area_code = case area_code when ? then ? else ? end where area_code in (?, ?)",
            [SATU, DUA, SATU, SATU, DUA],
        )
    with store.connect(tiny_db) as con:
        found = run(con, "check_online_reconciles")
    assert records(found, ["code", "households_complete", "parts_complete"]) == [
        (SATU, 30, 10),
        (SATU, 40, 50),
        (DUA, 10, 30),
        (DUA, 50, 40),
    ]


@pytest.fixture
def two_tables(tiny_db):
    """The tiny store (its cube: 2020) and a table by sex alone, by kecamatan, for 2019, 2020 and 2021."""
    by_sex = {
        "2019": [(BARAT, 1, 70), (BARAT, 2, 75), (TIMUR, 1, 15), (TIMUR, 2, 20)],
        "2020": [(BARAT, 1, 70), (BARAT, 2, 80), (TIMUR, 1, 20), (TIMUR, 2, 19)],
        "2021": [(BARAT, 1, 80), (BARAT, 2, 90), (TIMUR, 1, 20), (TIMUR, 2, 30)],
    }
    with store.replacing(tiny_db) as con:
        dataset = store.record_dataset(
            con,
            kind="population",
            source_file="jenis_kelamin.csv",
            sha256="2" * 64,
            rows_read=12,
            persons_read=589,
            synthetic=False,
            description_key="dataset.file",
            description_values={"kind": "population", "file": "jenis_kelamin.csv", "format": "CSV"},
            dimensions=["sex"],
        )
        for period, rows in by_sex.items():
            insert_population(con, dataset, [(code, sex, None, None, None, n) for code, sex, n in rows], period)
        store.refresh_rollups(con)
    with store.connect(tiny_db) as con:
        yield con


def test_population_periods_name_the_datasets_of_each(two_tables):
    periods = run(two_tables, "population_periods")
    assert [(row.period, list(row.datasets)) for row in periods.itertuples()] == [
        ("2019", [2]),
        ("2020", [1, 2]),
        ("2021", [2]),
    ]


def test_each_count_comes_from_the_latest_data_with_its_dimension(two_tables):
    columns = ["dataset_id", "period", "persons", "male", "female", "by_age", "age_0_14"]

    def city(period):
        counts = run(two_tables, "indicator_counts", area=CITY, period=period)
        return records(counts[counts["code"] == CITY], columns)[0]

    # Latest: persons and sex from the table of 2021 (80+90+20+30); ages from the cube of 2020 (10+10+10+12).
    assert city(None) == (2, "2021", 220, 100, 120, 190, 42)
    # In 2020 both hold the city: the table with fewer dimensions gives persons and sex (70+80+20+19).
    assert city("2020") == (2, "2020", 189, 90, 99, 190, 42)
    # Up to 2019 only the table has data: no ages.
    assert city("2019")[:5] == (2, "2019", 180, 85, 95)
    assert pd.isna(city("2019")[5])


def test_population_differences_name_the_topmost_area_where_totals_differ(two_tables):
    # In 2020, Barat agrees (150) and Timur does not (40 in the cube, 39 in the table): the city is named.
    assert records(
        run(two_tables, "population_differences", dataset=2),
        ["dataset_id", "period", "area", "their_persons", "our_persons"],
    ) == [(1, "2020", "Kota Uji", 190, 189)]


def test_data_of_part_of_an_area_answers_for_it_only_when_nothing_covers_it_whole(tiny_db):
    # A table of 2021 holds Barat alone (2 of the city's 3 villages): the city keeps the cube of 2020.
    with store.replacing(tiny_db) as con:
        dataset = store.record_dataset(
            con,
            kind="population",
            source_file="barat.csv",
            sha256="4" * 64,
            rows_read=1,
            persons_read=160,
            synthetic=False,
            description_key="dataset.file",
            description_values={"kind": "population", "file": "barat.csv", "format": "CSV"},
            dimensions=[],
        )
        insert_population(con, dataset, [(BARAT, None, None, None, None, 160)], "2021")
        store.refresh_rollups(con)
    with store.connect(tiny_db) as con:
        latest = run(con, "indicator_counts", area=CITY).set_index("code")
        of_2021 = run(con, "indicator_counts", area=CITY, period="2021").set_index("code")
    columns = ["dataset_id", "period", "persons", "leaves_covered", "leaves"]
    assert latest.loc[CITY, columns].tolist() == [1, "2020", 190, 3, 3]
    assert latest.loc[BARAT, columns].tolist() == [2, "2021", 160, 2, 2]
    assert of_2021.loc[CITY, columns].tolist() == [1, "2020", 190, 3, 3]
    with store.replacing(tiny_db) as con:
        con.execute("delete from population where dataset_id = 1")
        store.refresh_rollups(con)
    with store.connect(tiny_db) as con:
        alone = run(con, "indicator_counts", area=CITY).set_index("code")
    assert alone.loc[CITY, columns].tolist() == [2, "2021", 160, 2, 3]
