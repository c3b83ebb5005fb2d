"""Server time of a page rerun after an area filter change, for every page, with AppTest.

Each page is run for every area below the top one (each kecamatan of Kota Kupang) and for the top
area itself, twice: the first round reads the store (cold caches), the second is served from the
caches. Every run is timed as the server spends it, to the end of the script run; the browser's
drawing is not included. Run it as

    python -m tools.perf.page_timing [--db PATH] [--rounds N]

`page_times()` returns the figures as a DataFrame (page, runs, p50_ms, p95_ms, max_ms) for the
benchmark.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from queries import run
from sensus import sample, store

DASHBOARD = store.PROJECT_DIR / "dashboard.py"


def _rerun_times(script: str, areas: list[str], rounds: int) -> list[float]:
    """Milliseconds of each run of `script` for each area (a kecamatan name, or "" for the whole
    city). Each area is a fresh AppTest session opened at the page with ?kecamatan=..., which is the
    server work of a rerun after the filter changed: AppTest cannot change the frame's filter once it
    has switched pages, since it serves every run from pages/ first."""
    from streamlit.testing.v1 import AppTest

    times = []
    for area in areas * rounds:
        app = AppTest.from_file(str(DASHBOARD), default_timeout=120)
        if area:
            app.query_params["kecamatan"] = area
        app.run().switch_page(script)
        started = time.perf_counter()
        app.run()
        times.append(1000 * (time.perf_counter() - started))
        if app.exception:
            raise RuntimeError(f"{script} failed for {area or 'the whole area'}: {app.exception[0].value}")
    return times


def page_times(db: str | os.PathLike | None = None, rounds: int = 2) -> pd.DataFrame:
    """p50, p95 and the slowest rerun per page, in milliseconds."""
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # AppTest outside a server warns on every run
    import streamlit as st

    from app import ui

    path = sample.ensure_store(db)
    os.environ["SENSUS_DB"] = str(Path(path).resolve())
    with store.connect(path) as con:
        top = run(con, "child_areas", area=None)["code"].iloc[0]
        areas = [*run(con, "child_areas", area=top)["name"], ""]
    rows = []
    for script, url_path, _ in ui.PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        times = _rerun_times(script, areas, rounds)
        rows.append(
            {
                "page": url_path,
                "runs": len(times),
                "p50_ms": float(np.percentile(times, 50)),
                "p95_ms": float(np.percentile(times, 95)),
                "max_ms": max(times),
            }
        )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.perf.page_timing", description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="the store file (default: $SENSUS_DB or data/sensus.duckdb)")
    parser.add_argument("--rounds", type=int, default=2, help="times the filter steps through every kecamatan")
    args = parser.parse_args(argv)
    figures = page_times(args.db, args.rounds)
    print(figures.to_string(index=False, float_format=lambda value: f"{value:.0f}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
