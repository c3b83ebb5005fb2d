"""The benchmark: its pandas baseline answers what the queries answer, and `python -m tools.perf.bench`
at scale 1 with few repeats writes the expected figures, JSON and plot (never a timing assertion)."""

import json
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

import queries
from app.ui import PAGES
from queries import run
from sensus import check
from sensus.store import PROJECT_DIR
from tools.perf import bench

CITY, BARAT, SATU, DUA = "99.01", "99.01.01", "99.01.01.1001", "99.01.01.1002"


@pytest.fixture
def baseline(tiny, tmp_path):
    parquet = tmp_path / "persons.parquet"
    assert bench.write_person_rows(tiny, parquet) == 190
    return bench.Baseline(bench.person_frame(parquet), bench.household_frame(tiny), tiny, root=CITY)


def same(expected: pd.DataFrame, answered: pd.DataFrame, keys: list[str], values: list[str]) -> None:
    """The two frames hold the same rows: equal keys, equal values (floats to 1e-9)."""

    def rows(frame: pd.DataFrame) -> pd.DataFrame:
        plain = frame[keys + values].apply(lambda column: column.astype(str) if column.dtype == "category" else column)
        return plain.sort_values(keys, ignore_index=True)

    left, right = rows(expected), rows(answered)
    pd.testing.assert_frame_equal(left, right, check_dtype=False, check_exact=False, rtol=1e-9)


def test_person_rows_add_up_to_the_cube_and_carry_every_level(tiny, tmp_path):
    parquet = tmp_path / "persons.parquet"
    bench.write_person_rows(tiny, parquet)
    people = bench.person_frame(parquet)
    assert len(people) == 190
    assert people.groupby("district", observed=True).size().to_dict() == {BARAT: 150, "99.01.02": 40}
    assert people.groupby("village", observed=True).size().to_dict() == {SATU: 70, DUA: 80, "99.01.02.1001": 40}


def test_households_reach_each_stage_on_the_day_the_counts_grow(baseline):
    households = baseline.households
    assert len(households) == 400
    # Submitted by 1 Mar: 20 + 40 + 10; then 40 + 10 + 5 more by 2 Mar. Complete: 10 + 30 + 5, then 40 + 10 + 5.
    assert households["submitted"].value_counts(dropna=False).to_dict() == {
        pd.NaT: 275,
        pd.Timestamp("2020-03-01"): 70,
        pd.Timestamp("2020-03-02"): 55,
    }
    assert households["complete"].value_counts(dropna=False).to_dict() == {
        pd.NaT: 300,
        pd.Timestamp("2020-03-01"): 45,
        pd.Timestamp("2020-03-02"): 55,
    }
    satu = households[households["village"] == SATU]
    assert (satu["complete"].dropna() >= satu["submitted"][satu["complete"].notna()]).all()


def test_the_pyramid_of_a_village_worked_by_hand(baseline):
    pyramid = baseline.population_pyramid(DUA)
    nonzero = pyramid[pyramid["persons"] > 0]
    assert nonzero[["age_group", "sex", "persons"]].values.tolist() == [
        ["10-14", 1, 10],
        ["20-24", 1, 30],
        ["20-24", 2, 40],
    ]
    assert len(pyramid) == 32 and pyramid["share"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("area", [CITY, BARAT, SATU])
def test_pandas_answers_what_the_queries_answer(tiny, baseline, area):
    on = date(2020, 3, 1)
    same(
        run(tiny, "population_pyramid", area=area),
        baseline.population_pyramid(area),
        ["lower", "sex"],
        ["age_group", "persons", "share"],
    )
    same(
        run(tiny, "education_by_sex", area=area),
        baseline.education_by_sex(area),
        ["education", "sex"],
        ["persons", "share"],
    )
    same(
        run(tiny, "education_by_age", area=area).fillna(0),
        baseline.education_by_age(area).fillna(0),
        ["lower", "education"],
        ["persons", "share"],
    )
    same(
        run(tiny, "indicator_counts", area=area),
        baseline.indicator_counts(area),
        ["role", "code"],
        ["persons", "male", "female", "age_0_14", "age_15_64", "age_65_plus", "with_education", "higher_education"],
    )
    same(run(tiny, "age_distribution", area=area), baseline.age_distribution(area), ["code", "age_from"], ["persons"])
    same(
        run(tiny, "online_trend", area=area),
        baseline.online_trend(area),
        ["date"],
        ["base", "submitted", "complete", "rate"],
    )
    same(
        run(tiny, "online_villages", area=area, date=on),
        baseline.online_villages(area, on),
        ["code"],
        ["base", "submitted", "complete", "rate", "gap"],
    )
    if baseline.has_children(area):
        same(
            run(tiny, "education_by_child_area", area=area),
            baseline.education_by_child_area(area),
            ["code", "education"],
            ["persons", "share", "higher_share", "rank"],
        )
        same(
            run(tiny, "online_by_child_area", area=area, date=on),
            baseline.online_by_child_area(area, on),
            ["code"],
            ["base", "submitted", "complete", "rate", "gap"],
        )


def test_parameter_sets_follow_each_query_s_parameters():
    parameters = {
        "areas": [{"code": "A", "level": "regency"}, {"code": "B", "level": "district"}],
        "dates": ["2020-03-01", "2020-05-29"],
        "datasets": [1, 2],
    }
    assert bench.parameter_sets("population_differences", parameters) == [{"dataset": 1}, {"dataset": 2}]
    assert bench.parameter_sets("online_villages", parameters) == [
        {"area": "A", "date": "2020-03-01"},
        {"area": "A", "date": "2020-05-29"},
        {"area": "B", "date": "2020-03-01"},
        {"area": "B", "date": "2020-05-29"},
    ]
    assert bench.parameter_sets("population_pyramid", parameters) == [{"area": "A"}, {"area": "B"}]
    assert bench.parameter_sets("timeline", parameters) == [{}]


def test_percentiles_interpolate_between_runs():
    assert bench.percentiles([float(n) for n in range(1, 21)]) == {"runs": 20, "p50_ms": 10.5, "p95_ms": 19.05}


def test_an_unknown_scale_is_refused():
    refused = subprocess.run(
        [sys.executable, "-m", "tools.perf.bench", "--scales", "1,2"], cwd=PROJECT_DIR, capture_output=True, text=True
    )
    assert refused.returncode == 2
    assert "unknown scale 2; expected some of 1, 12, nation" in refused.stderr


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    printed = []
    results = bench.run_benchmark(
        ["1"],
        repeats=2,
        cache_dir=folder / "cache",
        json_path=folder / "figures.json",
        dashboard=False,
        out=printed.append,
    )
    return folder, results, "\n".join(printed)


def test_bench_at_scale_1_measures_every_query_on_realistic_parameters(bench_run):
    folder, results, printed = bench_run
    assert json.loads((folder / "figures.json").read_text()) == json.loads(json.dumps(results, default=str))
    assert results["repeats"] == 2 and len(results["scales"]) == 1
    scale = results["scales"][0]
    assert (scale["scale"], scale["area"], scale["persons"], scale["villages"]) == ("1", "Kota Kupang", 442_758, 51)
    assert scale["parameters"] == {
        "areas": [
            {"code": "53.71", "level": "regency"},
            {"code": "53.71.01", "level": "district"},
            {"code": "53.71.01.1001", "level": "village"},
        ],
        "dates": ["2020-04-07", "2020-05-29"],  # the middle and last days of 15 Feb to 29 May
        "datasets": [1],  # the sample's population
    }
    figures = {row["query"]: row for row in scale["queries"]}
    assert list(figures) == queries.names()
    assert (figures["population_pyramid"]["runs"], figures["online_villages"]["runs"], figures["timeline"]["runs"]) == (
        3 * 2,
        3 * 2 * 2,
        2,
    )
    assert [row["area"] for row in figures["population_pyramid"]["by_parameters"]] == [
        "53.71",
        "53.71.01",
        "53.71.01.1001",
    ]
    assert all(row["p50_ms"] <= row["p95_ms"] for row in figures.values())
    assert {name for name, row in figures.items() if row["target_ms"] is None} == set(check.CHECKS)  # run at load
    assert {row["target_ms"] for name, row in figures.items() if name not in check.CHECKS} == {20}
    assert {name for name, row in figures.items() if "speedup" in row} == set(bench.Baseline.QUESTIONS)
    assert [row["area"] for row in figures["education_by_child_area"]["pandas_by_parameters"]] == [
        "53.71",
        "53.71.01",
    ]  # a kelurahan has no child areas
    assert scale["build"].keys() == {"seconds", "peak_rss_bytes", "persons_per_second"}
    assert scale["ingest"]["persons"] == 442_758
    assert [row["page"] for row in scale["pages"]] == [url_path for _, url_path, _ in PAGES]
    assert all(row["target_ms"] == 300 for row in scale["pages"])
    assert all(row["ratio"] == pytest.approx(row["warm_ms"] / row["floor_ms"], rel=0.05) for row in scale["pages"])
    assert all(row["kb_sent"] > 0 for row in scale["pages"])
    assert "dashboard" not in scale
    assert printed.startswith("== Scale 1: Kota Kupang, 442,758 persons in 51 villages ==")


def test_the_plot_opens_offline_and_the_store_is_reused(bench_run):
    folder, results, _ = bench_run
    html = (folder / "figures.html").read_text()
    assert "Query latency (p95) against scale" in html
    assert "<script src=" not in html and "Plotly.newPlot" in html
    cached = bench.store_for("1", folder / "cache")
    assert cached == {"path": results["scales"][0]["store"], "seconds": None}
    store_name = f"scale-1-{bench.generator_digest()}.duckdb"
    assert sorted(path.name for path in (folder / "cache").iterdir()) == [store_name, f"{store_name}.lock"]
