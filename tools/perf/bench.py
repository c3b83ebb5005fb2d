"""Performance at scale: python -m tools.perf.bench [--scales 1,12,nation] [--json FILE] [--repeats 30]
[--cache DIR] [--no-dashboard] [--no-felt] [--no-load]

For each scale (1 = Kota Kupang, 12 = about NTT, nation = about Indonesia) it builds a store, or
reuses the one in the cache folder built by the same code, and measures: every query's p50 and p95
over repeated runs with realistic parameters (an area at every level from the top one down to a
village; dates inside the SP Online window); the same questions answered as a notebook would, with
pandas over person rows in memory (scales 1 and 12); ingest throughput from Parquet microdata; the
store's size; peak memory; the server time of each page's rerun after a filter change; and, at
nation scale, the dashboard server's peak memory while a browser drives its pages. Then what users
feel in a browser beside Streamlit's floor, a naive peer and an empty page (tools.perf.felt, scales 1
and 12), and 100 sessions through one process and through two behind HAProxy (tools.perf.load_test).

Each measurement runs in a fresh process of its own, so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import multiprocessing
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from functools import partial
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import psutil

import queries
from queries import execute, run
from sensus import check, nation, sample, store
from sensus.ingest import ingest_file
from tools.perf import page_timing
from tools.perf.server import free_port, start_server, stop_server

SCALES = ("1", "12", "nation")
CACHE_DIR = store.DATA_DIR / "bench"
QUERY_TARGET_MS = {"1": 20, "12": 100, "nation": 500}
# The data checks run when data is loaded (and are kept in the store), never while the dashboard
# serves: they are timed with the rest, but the serving targets are not theirs.
LOAD_TIME_QUERIES = frozenset(check.CHECKS)
PAGE_TARGET_MS = {"1": 300, "12": 600}
INGEST_TARGET = 1_000_000  # persons per second
DASHBOARD_RSS_TARGET = 2 * 1024**3  # bytes, serving the nation-scale store
BASELINE_SCALES = ("1", "12")
# Page reruns step through every area of the first select, twice, on every page: at nation scale
# (38 provinces) that would take most of the half hour, so there the browser run times the pages.
PAGE_SCALES = ("1", "12")
# tools.perf.felt: the nation store opens on its first province, where the tour would start with no change.
FELT_SCALES = ("1", "12")
LOAD_TEST = ["tools.perf.load_test", "--sessions", "100", "--steps", "12", "--processes", "2", "--compare"]
BASELINE_REPEATS = 5
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGE_TIMEOUT_MS = 600_000
# Records every change of the app's run state ("running", "notRunning") with its time.
RECORD_RUNS = """
window.__runs = [];
new MutationObserver(changes => {
    for (const change of changes) {
        window.__runs.push({state: change.target.getAttribute("data-test-script-state"), t: performance.now()});
    }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-test-script-state"]});
"""
# True once a run that started after `since` has finished and the app has stayed idle for 0.5 s.
SETTLED = """
since => {
    const app = document.querySelector('[data-testid="stApp"]');
    const runs = (window.__runs || []).filter(run => run.t > since);
    return Boolean(app) && app.getAttribute("data-test-script-state") === "notRunning"
        && runs.some(run => run.state === "running") && performance.now() - runs[runs.length - 1].t > 500;
}
"""
LAST_RUN_END = "since => Math.max(...window.__runs.filter(run => run.t > since).map(run => run.t)) - since"
# A store is rebuilt when the code or reference data that generate it change.
GENERATOR_SOURCES = (
    "sensus/sample.py",
    "sensus/nation.py",
    "sensus/store.py",
    "sensus/schema.sql",
    "sensus/rollups.sql",
    "data",
)


# ---------------------------------------------------------------- stores and parameters


def generator_digest() -> str:
    digest = hashlib.sha256(duckdb.__version__.encode())
    for source in GENERATOR_SOURCES:
        path = store.PROJECT_DIR / source
        for file in sorted(path.glob("*.csv")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def store_for(scale: str, cache_dir: Path) -> dict:
    """The store for a scale, built when the cache holds none from the current code; with the
    seconds the build took (None when reused)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"scale-{scale}-{generator_digest()}.duckdb"
    if path.exists():
        return {"path": str(path), "seconds": None}
    for stale in cache_dir.glob(f"scale-{scale}-*.duckdb"):
        stale.unlink()
    started = time.perf_counter()
    if scale == "nation":
        nation.build_nation(path)
    else:
        sample.build_sample(path, scale=int(scale))
    return {"path": str(path), "seconds": round(time.perf_counter() - started, 2)}


def realistic_parameters(con: duckdb.DuckDBPyConnection) -> dict:
    """An area at every level, from the top-level area down to a village through the first child of
    each; two dates inside the SP Online window: the middle day of the series and its last; and the
    population datasets."""
    areas, children = [], run(con, "child_areas", area=None)
    while not children.empty:
        first = children.iloc[0]
        areas.append({"code": first["code"], "level": first["level"]})
        children = run(con, "child_areas", area=first["code"])
    days = run(con, "online_trend", area=areas[0]["code"])["date"]
    datasets = run(con, "current_datasets").query("fact == 'population'")["id"].tolist()
    return {"areas": areas, "dates": [str(days.iloc[len(days) // 2]), str(days.iloc[-1])], "datasets": datasets}


def parameter_sets(query: str, parameters: dict) -> list[dict]:
    """Every combination of the realistic areas, dates and datasets that the query's $parameters take."""
    names = set(re.findall(r"\$(\w+)", queries.sql(query)))
    sets = [{}]
    if "area" in names:
        sets = [{"area": area["code"]} for area in parameters["areas"]]
    if "date" in names:
        sets = [{**params, "date": day} for params in sets for day in parameters["dates"]]
    if "dataset" in names:
        sets = [{**params, "dataset": dataset} for params in sets for dataset in parameters["datasets"]]
    return sets


# ---------------------------------------------------------------- timing


def run_times(function: Callable[[], object], repeats: int) -> list[float]:
    """Milliseconds of each of `repeats` calls, after one warm-up call."""
    function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentiles(times: list[float]) -> dict:
    p50, p95 = np.percentile(times, [50, 95])
    return {"runs": len(times), "p50_ms": round(float(p50), 2), "p95_ms": round(float(p95), 2)}


def query_latencies(db: str, repeats: int, target_ms: float) -> dict:
    """Every query in queries/ on each of its realistic parameter sets, `repeats` times: p50 and
    p95 over all runs, and the slowest set's; with what the store holds. Executed every time (not the answer a
    snapshot keeps) on the connection the dashboard reads, store.snapshot's."""
    with store.snapshot(db).con as con:
        summary = run(con, "store_summary").iloc[0]
        parameters = realistic_parameters(con)
        results = []
        for name in queries.names():
            by_set, pooled = [], []
            for params in parameter_sets(name, parameters):
                times = run_times(partial(execute, con, name, **params), repeats)
                pooled.extend(times)
                by_set.append({**params, **percentiles(times)})
            figures = percentiles(pooled)
            target = None if name in LOAD_TIME_QUERIES else target_ms
            results.append(
                {
                    "query": name,
                    **figures,
                    "target_ms": target,
                    "met": None if target is None else figures["p95_ms"] <= target,
                    "slowest": max(by_set, key=lambda measured: measured["p95_ms"]),
                    "by_parameters": by_set,
                }
            )
    return {
        "area": summary["name"],
        "persons": int(summary["persons"]),
        "villages": int(summary["villages"]),
        "parameters": parameters,
        "queries": results,
    }


# ---------------------------------------------------------------- microdata and the pandas baseline


def write_person_rows(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Person-level microdata (one row per person: village, sex, age, education) expanded from the
    cube into a Parquet file; returns the number of persons."""
    path.unlink(missing_ok=True)
    quoted = str(path).replace("'", "''")
    con.execute(
        "copy (select area_code as village_code, sex, age_from as age, education from population, range(persons)) "
        f"to '{quoted}' (format parquet)"
    )
    return con.execute(f"select count(*) from '{quoted}'").fetchone()[0]


LEVEL_COLUMNS = ("province", "regency", "district", "village")


def level_of(code: str) -> str:
    """The level of a Kemendagri code by its number of parts: 53, 53.71, 53.71.06, 53.71.06.1001."""
    return LEVEL_COLUMNS[code.count(".")]


def with_area_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A column per level (categories), cut from the village codes as a notebook would."""
    villages = frame["village_code"].astype("category")
    categories = villages.cat.categories.to_series()
    columns = {}
    for depth, level in enumerate(LEVEL_COLUMNS):
        codes = pd.Categorical(categories.str.split(".").str[: depth + 1].str.join("."))
        columns[level] = pd.Categorical.from_codes(codes.codes[villages.cat.codes.to_numpy()], codes.categories)
    return frame.drop(columns="village_code").assign(**columns)


def person_frame(parquet: Path) -> pd.DataFrame:
    return with_area_columns(pd.read_parquet(parquet))


def household_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per household in the SP Online registry base, the record-level twin of the daily
    counts: its village and the day it submitted and was complete (NaT when it never was)."""
    progress = con.execute("select * from online_progress order by village_code, date").df()
    first_day = progress["village_code"].ne(progress["village_code"].shift())
    last_day = progress["village_code"].ne(progress["village_code"].shift(-1)).to_numpy()
    base = progress.loc[last_day, "households_base"].to_numpy()
    first_household = np.cumsum(base) - base
    households = pd.DataFrame({"village_code": np.repeat(progress.loc[last_day, "village_code"].to_numpy(), base)})
    for stage in ("submitted", "complete"):
        cumulative = progress[f"households_{stage}"]
        new = cumulative.diff().where(~first_day, cumulative).astype("int64").to_numpy()
        reached = cumulative[last_day].to_numpy()
        order_in_village = np.arange(reached.sum()) - np.repeat(np.cumsum(reached) - reached, reached)
        days = np.full(base.sum(), np.datetime64("NaT"), dtype="datetime64[ns]")
        days[np.repeat(first_household, reached) + order_in_village] = np.repeat(progress["date"].to_numpy(), new)
        households[stage] = days
    return with_area_columns(households)


class Baseline:
    """The questions of queries/ answered with pandas over person rows (and household rows for SP
    Online) in memory, as a notebook would: each returns what its query returns."""

    def __init__(self, people: pd.DataFrame, households: pd.DataFrame, con: duckdb.DuckDBPyConnection, root: str):
        self.people = people
        self.households = households
        self.root = root
        self.days = run(con, "online_trend", area=root)["date"]
        age_groups = store.read_reference("age_groups.csv")
        self.age_groups = age_groups["lower"].astype(int).to_numpy()
        self.age_labels = age_groups["age_group"].to_numpy()
        education = store.read_reference("education.csv")
        self.higher = set(education.loc[education["higher"] == "true", "code"].astype(int))
        self.target = run(con, "targets", area=root).set_index("indicator").loc["online_households", "share"]

    # -- selections

    def within(self, frame: pd.DataFrame, area: str) -> pd.DataFrame:
        return frame[frame[level_of(area)] == area]

    def child_column(self, area: str) -> str:
        return LEVEL_COLUMNS[area.count(".") + 1]

    def has_children(self, area: str) -> bool:
        return area.count(".") + 1 < len(LEVEL_COLUMNS)

    def family(self, frame: pd.DataFrame, area: str) -> pd.DataFrame:
        """Rows of the area, its parent and its children, with their code and role (a row of the
        area is in the area's and in one child's)."""
        parts = [self.within(frame, area).assign(code=area, role="area")]
        if area != self.root:
            parent = area.rsplit(".", 1)[0]
            parts.append(self.within(frame, parent).assign(code=parent, role="parent"))
        if self.has_children(area):
            inside = self.within(frame, area)
            parts.append(inside.assign(code=inside[self.child_column(area)].astype(str), role="child"))
        return pd.concat(parts, ignore_index=True)

    def age_group(self, ages: pd.Series) -> np.ndarray:
        return self.age_groups[np.searchsorted(self.age_groups, ages.to_numpy(), side="right") - 1]

    # -- the questions

    def population_pyramid(self, area: str) -> pd.DataFrame:
        rows = self.within(self.people, area)
        counts = rows.groupby([self.age_group(rows["age"]), rows["sex"]]).size()
        grid = pd.MultiIndex.from_product([self.age_groups, [1, 2]], names=["lower", "sex"])
        table = counts.reindex(grid, fill_value=0).rename("persons").reset_index()
        table.insert(0, "age_group", np.repeat(self.age_labels, 2))
        return table.assign(share=table["persons"] / table["persons"].sum())

    def education_by_sex(self, area: str) -> pd.DataFrame:
        rows = self.within(self.people, area).dropna(subset=["education"])
        counts = rows.groupby(["education", "sex"]).size()
        grid = pd.MultiIndex.from_product([range(1, 9), [1, 2]], names=["education", "sex"])
        table = counts.reindex(grid, fill_value=0).rename("persons").reset_index()
        return table.assign(share=table["persons"] / table.groupby("sex")["persons"].transform("sum"))

    def education_by_age(self, area: str) -> pd.DataFrame:
        rows = self.within(self.people, area).dropna(subset=["education"])
        counts = rows.groupby([self.age_group(rows["age"]), rows["education"]]).size()
        grid = pd.MultiIndex.from_product([self.age_groups[1:], range(1, 9)], names=["lower", "education"])
        table = counts.reindex(grid, fill_value=0).rename("persons").reset_index()
        return table.assign(share=table["persons"] / table.groupby("lower")["persons"].transform("sum"))

    def education_by_child_area(self, area: str) -> pd.DataFrame:
        rows = self.within(self.people, area).dropna(subset=["education"])
        counts = rows.groupby([rows[self.child_column(area)], rows["education"]], observed=True).size()
        table = counts.unstack(fill_value=0).reindex(columns=range(1, 9), fill_value=0)
        higher = table[[level for level in table.columns if level in self.higher]].sum(axis=1) / table.sum(axis=1)
        long = table.stack().rename("persons").reset_index().rename(columns={self.child_column(area): "code"})
        long["share"] = long["persons"] / long.groupby("code", observed=True)["persons"].transform("sum")
        long["higher_share"] = long["code"].map(higher).astype(float)
        long["rank"] = long["higher_share"].rank(method="dense", ascending=False).astype(int)
        return long.sort_values(["rank", "education"], ignore_index=True)

    def indicator_counts(self, area: str) -> pd.DataFrame:
        rows = self.family(self.people, area)
        age = rows["age"]
        flags = pd.DataFrame(
            {
                "code": rows["code"],
                "role": rows["role"],
                "persons": 1,
                "male": rows["sex"] == 1,
                "female": rows["sex"] == 2,
                "age_0_14": age < 15,
                "age_15_64": (age >= 15) & (age < 65),
                "age_65_plus": age >= 65,
                "with_education": rows["education"].notna(),
                "higher_education": rows["education"].isin(self.higher),
            }
        )
        return flags.groupby(["role", "code"]).sum().astype("int64").reset_index()

    def age_distribution(self, area: str) -> pd.DataFrame:
        rows = self.family(self.people, area)
        return rows.groupby(["code", rows["age"].rename("age_from")]).size().rename("persons").reset_index()

    def online_trend(self, area: str) -> pd.DataFrame:
        rows = self.within(self.households, area)
        trend = pd.DataFrame(
            {
                stage: rows[stage].value_counts().rename(pd.Timestamp.date).reindex(self.days, fill_value=0).cumsum()
                for stage in ("submitted", "complete")
            }
        )
        trend.insert(0, "base", len(rows))
        return trend.assign(rate=trend["complete"] / trend["base"]).rename_axis("date").reset_index()

    def online_on(self, rows: pd.DataFrame, by: str, date: date) -> pd.DataFrame:
        day = pd.Timestamp(date)
        counts = (
            pd.DataFrame(
                {
                    "code": rows[by],
                    "base": 1,
                    "submitted": rows["submitted"] <= day,
                    "complete": rows["complete"] <= day,
                }
            )
            .groupby("code", observed=True)
            .sum()
        )
        return counts.assign(
            rate=counts["complete"] / counts["base"],
            gap=np.maximum(np.ceil(self.target * counts["base"]) - counts["complete"], 0).astype("int64"),
        ).reset_index()

    def online_by_child_area(self, area: str, date: date) -> pd.DataFrame:
        table = self.online_on(self.within(self.households, area), self.child_column(area), date)
        return table.sort_values("rate", ascending=False, ignore_index=True)

    def online_villages(self, area: str, date: date) -> pd.DataFrame:
        return self.online_on(self.within(self.households, area), "village", date).sort_values(
            ["rate", "code"], ignore_index=True
        )

    QUESTIONS = (
        "population_pyramid",
        "education_by_sex",
        "education_by_age",
        "education_by_child_area",
        "indicator_counts",
        "age_distribution",
        "online_trend",
        "online_by_child_area",
        "online_villages",
    )

    def answer(self, name: str, area: str, date: date | None = None) -> pd.DataFrame:
        question = getattr(self, name)
        return question(area, date) if date is not None else question(area)


def baseline_latencies(db: str, parquet: str, parameters: dict, store_figures: list[dict], repeats: int) -> list[dict]:
    """Each question that has a pandas twin, timed on the parameter sets it has an answer for: the
    pandas p50 and its ratio to the store's p50, overall and for each set (the smallest too)."""
    with store.connect(db) as con:
        baseline = Baseline(person_frame(Path(parquet)), household_frame(con), con, root=parameters["areas"][0]["code"])
    compared = []
    for figures in store_figures:
        if figures["query"] not in Baseline.QUESTIONS:
            continue
        pooled, by_set = [], []
        for measured in figures["by_parameters"]:
            area, day = measured["area"], measured.get("date")
            if "child" in figures["query"] and not baseline.has_children(area):
                continue
            on = day and date.fromisoformat(day)
            times = run_times(partial(baseline.answer, figures["query"], area, on), repeats)
            pooled.extend(times)
            p50 = percentiles(times)["p50_ms"]
            by_set.append(
                {
                    "area": area,
                    **({"date": day} if day else {}),
                    "pandas_p50_ms": p50,
                    "speedup": round(p50 / measured["p50_ms"], 1),
                }
            )
        pandas_p50 = percentiles(pooled)["p50_ms"]
        compared.append(
            {
                "query": figures["query"],
                "pandas_p50_ms": pandas_p50,
                "speedup": round(pandas_p50 / figures["p50_ms"], 1),
                "smallest_speedup": min(measured["speedup"] for measured in by_set),
                "pandas_by_parameters": by_set,
            }
        )
    return compared


# ---------------------------------------------------------------- ingest, pages, the dashboard server


def ingest_throughput(db: str, parquet: str) -> dict:
    """Person-level microdata expanded from the store's cube into `parquet` (kept for the baseline),
    then loaded with sensus.ingest into a copy of the store: persons per second."""
    with store.connect(db) as con:
        persons = write_person_rows(con, Path(parquet))
    with tempfile.TemporaryDirectory(dir=Path(parquet).parent) as work:
        copy = Path(work) / "ingest.duckdb"
        copy.write_bytes(Path(db).read_bytes())
        started = time.perf_counter()
        ingest_file("population", parquet, db=copy)
        seconds = time.perf_counter() - started
    return {
        "persons": persons,
        "seconds": round(seconds, 2),
        "persons_per_second": round(persons / seconds),
        "target": INGEST_TARGET,
        "met": persons / seconds >= INGEST_TARGET,
    }


def quiet_streamlit() -> None:
    """Not the warnings Streamlit logs when its pages run without a server (this process runs
    nothing else)."""
    logging.disable(logging.WARNING)


def page_reruns(db: str, target_ms: float) -> list[dict]:
    """Server time of each page's rerun after a filter change, cold and warm, beside the floor of the same
    charts drawn from figures built beforehand, and the bytes each sends (tools.perf.page_timing)."""
    quiet_streamlit()
    rows = page_timing.page_times(db).round(1).to_dict("records")
    return [{**row, "target_ms": target_ms, "met": row["p95_ms"] <= target_ms} for row in rows]


def dashboard_peak_rss(db: str) -> dict:
    """The dashboard served on loopback from the store while headless Chromium opens every page
    and changes the area filter on it: the server's peak resident memory (tools.perf.load_test watches
    it), and the seconds from each request to the end of its run."""
    from playwright.sync_api import Error as BrowserError
    from playwright.sync_api import sync_playwright

    quiet_streamlit()
    from app.ui import PAGES
    from tools.perf.load_test import ServerWatch, tracebacks

    if not Path(CHROMIUM).exists():
        return {"skipped": f"no Chromium at {CHROMIUM}"}
    pages, errors = [], []
    with tempfile.TemporaryDirectory(prefix="sensus-bench-") as work:
        port, log = free_port(), Path(work) / "server.log"
        server = start_server(Path(db), port, log)
        watch = ServerWatch(server.pid)
        watch.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.add_init_script(RECORD_RUNS)
                for index, (_, url_path, _) in enumerate(PAGES):
                    address = f"http://127.0.0.1:{port}/{url_path if index else ''}"  # the first is the home page
                    try:
                        opened = timed_run(page, partial(page.goto, address), since=0)
                        area = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
                        rerun = (
                            timed_run(page, partial(choose_second_option, page, area)) if area.is_visible() else None
                        )
                        pages.append({"page": url_path, "open_s": opened, "rerun_s": rerun})
                    except BrowserError as error:
                        errors.append(f"{url_path}: {str(error).splitlines()[0]}")
                browser.close()
        finally:
            watch.done.set()
            stop_server(server)
        errors += [f"server: {problem}" for problem in tracebacks(log.read_text(errors="replace"))]
    return {
        "peak_rss_bytes": watch.peak_memory,
        "target_bytes": DASHBOARD_RSS_TARGET,
        "met": watch.peak_memory <= DASHBOARD_RSS_TARGET,
        "pages": pages,
        "errors": errors,
    }


def timed_run(page, action: Callable[[], object], since: float | None = None) -> float:
    """Seconds from the action to the end of the script run it caused (the page's clock; `since` 0
    for a new document)."""
    since = page.evaluate("performance.now()") if since is None else since
    action()
    page.wait_for_function(SETTLED, arg=since, timeout=PAGE_TIMEOUT_MS, polling=100)
    return round(page.evaluate(LAST_RUN_END, since) / 1000, 2)


def choose_second_option(page, select) -> None:
    select.click()
    page.get_by_role("option").nth(1).click()


# ---------------------------------------------------------------- one scale, all scales


def with_peak_memory(function: Callable, *args):
    """function(*args), and the peak resident memory of this process in bytes."""
    result = function(*args)
    return result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def in_fresh_process(function: Callable, *args):
    """function(*args) in a new process: its result, and that process's peak resident memory."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as worker:
        return worker.submit(with_peak_memory, function, *args).result()


def bench_scale(scale: str, repeats: int, cache_dir: Path, dashboard: bool) -> dict:
    load_before = os.getloadavg()[0]
    built, build_peak = in_fresh_process(store_for, scale, cache_dir)
    db = built["path"]
    result = {
        "scale": scale,
        "store": db,
        "store_bytes": Path(db).stat().st_size,
        "build": {"reused": True}
        if built["seconds"] is None
        else {"seconds": built["seconds"], "peak_rss_bytes": build_peak},
    }
    measured, query_peak = in_fresh_process(query_latencies, db, repeats, QUERY_TARGET_MS[scale])
    result.update(measured, queries_peak_rss_bytes=query_peak)
    if built["seconds"] is not None:
        result["build"]["persons_per_second"] = round(result["persons"] / built["seconds"])
    if scale in BASELINE_SCALES:
        parquet = cache_dir / f"persons-{Path(db).stem}.parquet"
        result["ingest"], result["ingest_peak_rss_bytes"] = in_fresh_process(ingest_throughput, db, str(parquet))
        compared, result["baseline_peak_rss_bytes"] = in_fresh_process(
            baseline_latencies,
            db,
            str(parquet),
            result["parameters"],
            result["queries"],
            min(repeats, BASELINE_REPEATS),
        )
        parquet.unlink()
        for figures in result["queries"]:
            figures.update(next((pandas for pandas in compared if pandas["query"] == figures["query"]), {}))
    if scale in PAGE_SCALES:
        result["pages"], _ = in_fresh_process(page_reruns, db, PAGE_TARGET_MS[scale])
    if scale == "nation" and dashboard:
        result["dashboard"], _ = in_fresh_process(dashboard_peak_rss, db)
    result["load_average"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    return result


def run_benchmark(
    scales: list[str],
    *,
    repeats: int = 30,
    cache_dir: Path = CACHE_DIR,
    json_path: Path | None = None,
    dashboard: bool = True,
    out: Callable[[str], None] = print,
) -> dict:
    """Measure each scale, print its figures as they come, and write them all (with a plot of
    latency against scale beside them) to `json_path`."""
    unknown = [scale for scale in scales if scale not in SCALES]
    if unknown:
        raise ValueError(f"unknown scale {', '.join(unknown)}; expected some of {', '.join(SCALES)}")
    results = {"machine": machine(), "repeats": repeats, "scales": []}
    for scale in scales:
        results["scales"].append(bench_scale(scale, repeats, cache_dir, dashboard))
        out(scale_report(results["scales"][-1]))
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(results, indent=1, default=str))
        write_plot(results, json_path.with_suffix(".html"))
        out(
            f"Figures written to {json_path}; latency against scale plotted in {json_path.with_suffix('.html')} "
            "(self-contained HTML, opens offline)"
        )
    return results


def machine() -> dict:
    return {
        "cores": os.cpu_count(),
        "memory_bytes": psutil.virtual_memory().total,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pd.__version__,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


# ---------------------------------------------------------------- reporting


def megabytes(count: int) -> str:
    return f"{count / 1024**2:,.0f} MB"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def scale_report(result: dict) -> str:
    build = result["build"]
    lines = [
        f"== Scale {result['scale']}: {result['area']}, {result['persons']:,} persons "
        f"in {result['villages']:,} villages ==",
        f"store {megabytes(result['store_bytes'])} on disk, "
        + (
            "reused from the cache"
            if build.get("reused")
            else f"built in {build['seconds']:.1f} s ({build['persons_per_second']:,} persons/s, "
            f"peak memory {megabytes(build['peak_rss_bytes'])})"
        ),
        "peak memory: queries "
        + megabytes(result["queries_peak_rss_bytes"])
        + "".join(
            f", {label} {megabytes(result[key])}"
            for key, label in (("ingest_peak_rss_bytes", "ingest"), ("baseline_peak_rss_bytes", "pandas baseline"))
            if key in result
        ),
        f"load average (1 min) before and after: {result['load_average'][0]}, {result['load_average'][1]}",
    ]
    if "ingest" in result:
        ingest = result["ingest"]
        lines.append(
            f"ingest from Parquet microdata: {ingest['persons']:,} persons in {ingest['seconds']:.2f} s = "
            f"{ingest['persons_per_second']:,} persons/s (target {INGEST_TARGET:,}/s: {verdict(ingest['met'])})"
        )
    lines += [
        "",
        f"{'query':28} {'p50 ms':>7} {'p95 ms':>7} {'p95 target':>11} {'pandas p50':>10} {'speedup':>8} "
        f"{'smallest':>8}  slowest at",
    ]
    for figures in result["queries"]:
        slowest = " ".join(f"{key}={figures['slowest'][key]}" for key in ("area", "date") if key in figures["slowest"])
        pandas = (
            f"{figures['pandas_p50_ms']:>10.1f} {figures['speedup']:>7.1f}x {figures['smallest_speedup']:>7.1f}x"
            if "speedup" in figures
            else f"{'-':>10} {'-':>8} {'-':>8}"
        )
        target = (
            f"{'at load':>11}"
            if figures["target_ms"] is None
            else f"{figures['target_ms']:>4} {verdict(figures['met']):>6}"
        )
        lines.append(
            f"{figures['query']:28} {figures['p50_ms']:>7.1f} {figures['p95_ms']:>7.1f} {target} {pandas}  {slowest}"
        )
    lines.append("")
    if "pages" in result:
        lines.append(
            f"page reruns after a filter change, server time: {'page':12} {'runs':>5} {'p50 ms':>7} "
            f"{'p95 ms':>7} {'max ms':>7}  p95 target  {'warm ms':>7} {'floor':>6} {'ratio':>5} {'KB':>5} {'floor':>5}"
        )
        lines += [
            f"{'':50}{row['page']:12} {row['runs']:>5} {row['p50_ms']:>7.0f} {row['p95_ms']:>7.0f} "
            f"{row['max_ms']:>7.0f}  {row['target_ms']:>3} {verdict(row['met']):>6}  {row['warm_ms']:>7.0f} "
            f"{row['floor_ms']:>6.1f} {row['ratio']:>5.1f} {row['kb_sent']:>5.1f} {row['kb_floor']:>5.1f}"
            for row in result["pages"]
        ]
    if "dashboard" in result:
        dashboard = result["dashboard"]
        if "skipped" in dashboard:
            lines.append(f"dashboard: skipped, {dashboard['skipped']}")
        else:
            lines.append(
                f"dashboard server peak memory while Chromium opened every page and changed the area: "
                f"{megabytes(dashboard['peak_rss_bytes'])} (target {megabytes(DASHBOARD_RSS_TARGET)}: "
                f"{verdict(dashboard['met'])}); seconds to open each page and to rerun it:"
            )
            lines += [
                f"  {row['page']:12} {row['open_s']:>6.1f} {row['rerun_s'] or '-':>6}" for row in dashboard["pages"]
            ]
            lines += [f"  error: {error}" for error in dashboard["errors"]]
    return "\n".join(lines) + "\n"


def write_plot(results: dict, path: Path) -> None:
    """p95 latency of every query against the number of persons, one line per query, and the
    targets, as a self-contained HTML file (plotly.js inside: it opens offline)."""
    figure = go.Figure()
    scales = results["scales"]
    persons = [result["persons"] for result in scales]
    for name in queries.names():
        p95 = [
            next(figures["p95_ms"] for figures in result["queries"] if figures["query"] == name) for result in scales
        ]
        figure.add_scatter(x=persons, y=p95, name=name, mode="lines+markers")
    figure.add_scatter(
        x=persons,
        y=[QUERY_TARGET_MS[result["scale"]] for result in scales],
        name="target (p95)",
        mode="lines+markers",
        line={"dash": "dash", "color": "black"},
    )
    figure.update_layout(
        title="Query latency (p95) against scale",
        xaxis={"title": "persons", "type": "log"},
        yaxis={"title": "p95 (ms)", "type": "log"},
        template="plotly_white",
    )
    figure.write_html(path, include_plotlyjs=True, full_html=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.perf.bench",
        description="Measure query latency, ingest, memory and page reruns at scale.",
    )
    parser.add_argument(
        "--scales",
        default="1,12,nation",
        help="comma-separated: 1 (Kota Kupang), 12 (about NTT), nation (about Indonesia)",
    )
    parser.add_argument("--json", help="also write the figures to this file, and a latency plot (.html) beside it")
    parser.add_argument("--repeats", type=int, default=30, help="timed runs of each query and parameter set")
    parser.add_argument("--cache", help="folder of the stores built for the benchmark (default: data/bench)")
    parser.add_argument(
        "--no-dashboard", action="store_true", help="skip driving the dashboard in a browser on the nation-scale store"
    )
    parser.add_argument("--no-felt", action="store_true", help="skip the browser figures (tools.perf.felt)")
    parser.add_argument("--no-load", action="store_true", help="skip the 100-session load test (tools.perf.load_test)")
    args = parser.parse_args(argv)
    scales = args.scales.split(",")
    try:
        run_benchmark(
            scales,
            repeats=args.repeats,
            cache_dir=Path(args.cache) if args.cache else CACHE_DIR,
            json_path=Path(args.json) if args.json else None,
            dashboard=not args.no_dashboard,
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    felt_scales = [scale for scale in scales if scale in FELT_SCALES]
    users = [
        *([["tools.perf.felt", "--scales", ",".join(felt_scales)]] if felt_scales and not args.no_felt else []),
        *([LOAD_TEST] if not args.no_load else []),
    ]
    for module, *options in users:  # each in a process of its own, its report printed as it comes
        print(f"\n== python -m {module} {' '.join(options)}", flush=True)
        if subprocess.run([sys.executable, "-m", module, *options], cwd=store.PROJECT_DIR).returncode:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
