"""Server time of a page rerun after an area filter change, for every page, with AppTest, beside a
floor: a page that only draws the same plotly figures, built beforehand.

Each page is run for every area below the top one (each kecamatan of Kota Kupang) and for the top
area itself, `rounds` times: the first round reads the store (cold caches), the others are served
from the caches (warm). Every run is timed as a served app spends it: each script compiled once, to
the end of the script run and of the full garbage collection Streamlit runs after it when
runner.postScriptGC is on (AppTest skips it); the browser's drawing is not included. The floor draws,
for each area, the figures the page drew there, held ready as plotly figures: what Streamlit alone
spends on those charts, without the garbage collection. Bytes are what a run sends to the browser:
the size of every element's message. Run it as

    python -m tools.perf.page_timing [--db PATH] [--rounds N]

`page_times()` returns the figures as a DataFrame (page, runs, p50_ms, p95_ms, max_ms over every
run; warm_ms, floor_ms and their ratio, the median over the warm rounds; kb_sent, kb_floor) for the
benchmark.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io

from queries import run
from sensus import sample, store

DASHBOARD = store.PROJECT_DIR / "dashboard.py"


@dataclass(frozen=True)
class Run:
    ms: float
    bytes_sent: int
    charts: tuple[tuple[str, str], ...]  # each plotly chart's spec and config, as sent


def _floor_page(charts: list) -> None:
    """The floor: these charts, each a (figure, config), and nothing else."""
    import streamlit as st

    for index, (figure, config) in enumerate(charts):
        st.plotly_chart(figure, width="stretch", theme=None, config=config, key=f"floor-{index}")


def _timed(app, served: bool = True) -> Run:
    """A run of `app`; `served`, with the clean-up a served app runs after it."""
    from streamlit import config

    started = time.perf_counter()
    app.run()
    if served and config.get_option("runner.postScriptGC"):
        gc.collect(2)  # as a served app does after every run, by this setting; AppTest does not
    ms = 1000 * (time.perf_counter() - started)
    if app.exception:
        raise RuntimeError(app.exception[0].value)
    charts = tuple((chart.proto.spec, chart.proto.config) for chart in app.get("plotly_chart"))
    return Run(ms, _bytes_sent(app._tree), charts)


def _bytes_sent(node) -> int:
    """The size of the messages of an element tree's elements and blocks."""
    proto = getattr(node, "proto", None)
    own = len(proto.SerializeToString()) if proto is not None else 0
    return own + sum(_bytes_sent(child) for child in getattr(node, "children", {}).values())


def _compile_once() -> None:
    """A served app compiles each script once; AppTest compiles them on every run, unless its runs share
    one script cache."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def _page_run(script: str, area: str) -> Run:
    """A run of `script` for `area` (a kecamatan name, or "" for the whole city): a fresh AppTest
    session opened at the page with ?kecamatan=..., which is the server work of a rerun after the
    filter changed (AppTest cannot change the frame's filter once it has switched pages, since it
    serves every run from pages/ first)."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    if area:
        app.query_params["kecamatan"] = area
    app.run().switch_page(script)
    try:
        return _timed(app)
    except RuntimeError as error:
        raise RuntimeError(f"{script} failed for {area or 'the whole area'}: {error}") from None


def _floor_run(charts: tuple[tuple[str, str], ...]) -> Run:
    """The floor's second run (its first compiles the script) with these charts, rebuilt as figures."""
    from streamlit.testing.v1 import AppTest

    figures = [(plotly.io.from_json(spec), json.loads(config)) for spec, config in charts]
    app = AppTest.from_function(_floor_page, default_timeout=120, args=(figures,))
    app.run()
    return _timed(app, served=False)


def page_times(db: str | os.PathLike | None = None, rounds: int = 2, pages: list[str] | None = None) -> pd.DataFrame:
    """Per page (of `pages`, URL paths; default all): p50, p95 and the slowest rerun over every round,
    in milliseconds; the median warm rerun, the floor's and their ratio; kilobytes sent by a warm
    rerun and by the floor. Each floor runs right after its page, so both meet the same load."""
    logging.disable(logging.WARNING)  # AppTest outside a server warns on every run
    import streamlit as st

    from app import ui

    path = sample.ensure_store(db)
    os.environ["SENSUS_DB"] = str(Path(path).resolve())
    _compile_once()
    with store.connect(path) as con:
        top = run(con, "child_areas", area=None)["code"].iloc[0]
        areas = [*run(con, "child_areas", area=top)["name"], ""]
    rows = []
    for script, url_path, _ in ui.PAGES:
        if pages and url_path not in pages:
            continue
        st.cache_data.clear()
        st.cache_resource.clear()
        cold = [_page_run(script, area) for area in areas]
        warm, floors = [], []
        for area in areas * (rounds - 1):
            warm.append(_page_run(script, area))
            floors.append(_floor_run(warm[-1].charts))
        times = [page.ms for page in cold + warm]
        warm_ms, floor_ms = np.median([page.ms for page in warm]), np.median([floor.ms for floor in floors])
        rows.append(
            {
                "page": url_path,
                "runs": len(times),
                "p50_ms": float(np.percentile(times, 50)),
                "p95_ms": float(np.percentile(times, 95)),
                "max_ms": max(times),
                "warm_ms": float(warm_ms),
                "floor_ms": float(floor_ms),
                "ratio": float(warm_ms / floor_ms),
                "kb_sent": float(np.median([page.bytes_sent for page in warm])) / 1000,
                "kb_floor": float(np.median([floor.bytes_sent for floor in floors])) / 1000,
            }
        )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.perf.page_timing", description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="the store file (default: $SENSUS_DB or data/sensus.duckdb)")
    parser.add_argument(
        "--rounds", type=int, default=2, help="times the filter steps through every kecamatan (at least 2)"
    )
    parser.add_argument("--pages", help="the pages to time, by URL path, comma-separated (default: all)")
    args = parser.parse_args(argv)
    figures = page_times(args.db, max(args.rounds, 2), args.pages.split(",") if args.pages else None)
    print(figures.to_string(index=False, float_format=lambda value: f"{value:.1f}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
