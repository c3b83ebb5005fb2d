"""What users feel, in a browser: python -m tools.perf.felt [--scales 1,12] [--pages penduduk,pendidikan]
[--repeats 15] [--sessions 5] [--json FILE]

For each scale (1 = Kota Kupang, 12 = about NTT; stores built or reused as tools.perf.bench does) four apps
are served side by side on loopback, each opened in headless Chromium on each page:

  dashboard  the dashboard itself;
  floor      the same area selects, drawing the very figures the dashboard's page draws for the area,
             taken from the dashboard beforehand (AppTest) and held as constants (apps/floor.py);
  peer       the naive pandas peer: one st.cache_data DataFrame, boolean masks, plotly express (apps/peer.py);
  empty      the same area selects and nothing else (apps/empty.py).

In each, the area selects are changed along a fixed tour (common.tour: kecamatan and a kelurahan of each,
at scale 12 kabupaten and a kecamatan of each), the apps taking turns step by step so that they share
the machine's load. A change is timed in the page, from the press on the option to the moment the run
has ended, nothing is stale and every plotly chart on the page has drawn again after the press (plotly's
'plotly_afterplot'). The first pass of the tour is reported apart (`first`: the dashboard's caches are
cold); then --repeats changes give the median and p90. With each change: the websocket messages and
bytes the server sent for it, and the traces drawn. Then --sessions new sessions (fresh browser
contexts) each open the page: the time from navigation to the first chart's traces drawn (to the area
select drawn, for the empty page).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

from sensus import store
from sensus.i18n import level_label
from tools.perf.apps import common
from tools.perf.apps.peer import PAGES as PEER_PAGES
from tools.perf.bench import CACHE_DIR, CHROMIUM, CHROMIUM_ARGS, FELT_SCALES, quiet_streamlit, store_for
from tools.perf.server import free_port, start_server, stop_server, wait_until_healthy

APPS = ("dashboard", "floor", "peer", "empty")
APP_DIR = Path(__file__).resolve().parent / "apps"
PAGES = ("penduduk", "pendidikan")
TARGET = {"1": 1.2, "12": 1.2, "nation": 1.5}  # dashboard / floor
SESSION_TARGET = 1.5  # dashboard's first chart / the empty page's select
VIEWPORT = {"width": 1400, "height": 1000}
WAIT_MS = 120_000
# window.__felt: `click` (the press on an option), `finished` (its run's end received), `done` (the change
# drawn), `firstChart` and `firstSelect` (when a chart's traces and the sidebar's select were first in the
# page), on the page's clock. The run's end is the server's message with script_finished (field 6 of
# Streamlit's ForwardMsg): the app's run state may skip "running" when a short run's messages come together.
FELT_JS = """
window.__felt = {click: null, finished: false, done: null, firstChart: null, firstSelect: null};
(() => {
    const felt = window.__felt;
    const finishes = data => {
        if (!(data instanceof ArrayBuffer)) return false;
        const bytes = new Uint8Array(data);
        let at = 0;
        const varint = () => {
            let value = 0, shift = 0, byte;
            do { byte = bytes[at++]; value += (byte & 127) * 2 ** shift; shift += 7; } while (byte & 128);
            return value;
        };
        while (at < bytes.length) {
            const tag = varint(), wire = tag % 8;
            if (Math.floor(tag / 8) === 6) return true;
            if (wire === 0) varint(); else if (wire === 2) at += varint(); else if (wire === 1) at += 8;
            else if (wire === 5) at += 4; else return false;
        }
        return false;
    };
    const Socket = window.WebSocket;
    window.WebSocket = class extends Socket {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', event => {
                if (felt.click !== null && finishes(event.data)) {
                    felt.finished = true;
                    setTimeout(check);
                }
            });
        }
    };
    let hooked = false;
    // Plotly emits through one EventEmitter class: each graph's emitter notes when it last drew.
    const hook = () => {
        const graph = document.querySelector('.js-plotly-plot');
        if (hooked || !graph || !graph._ev) return;
        const proto = Object.getPrototypeOf(graph._ev), emit = proto.emit;
        proto.emit = function (name, ...rest) {
            if (name === 'plotly_afterplot') {
                this.drawnAt = performance.now();
                queueMicrotask(check);
            }
            return emit.call(this, name, ...rest);
        };
        hooked = true;
    };
    const check = () => {
        if (felt.click === null || felt.done !== null || !felt.finished) return;
        const app = document.querySelector('[data-testid="stApp"]');
        const graphs = [...document.querySelectorAll('.js-plotly-plot')];
        if (app.getAttribute('data-test-script-state') === 'notRunning'
            && !document.querySelector('[data-stale="true"]')
            && graphs.length === document.querySelectorAll('[data-testid="stPlotlyChart"]').length
            && graphs.every(graph => graph._ev && graph._ev.drawnAt > felt.click)) {
            felt.done = performance.now();
        }
    };
    document.addEventListener('pointerdown', event => {
        if (event.target.closest('[role="option"]')) {
            Object.assign(felt, {click: performance.now(), finished: false, done: null});
        }
    }, true);
    new MutationObserver(() => {
        const now = performance.now();
        if (felt.firstChart === null && document.querySelector('.js-plotly-plot .trace')) felt.firstChart = now;
        const select = '[data-testid="stSidebar"] [data-testid="stSelectbox"]';
        if (felt.firstSelect === null && document.querySelector(select)) felt.firstSelect = now;
        hook();
        check();
    }).observe(document, {subtree: true, childList: true, attributes: true,
                          attributeFilter: ['data-test-script-state', 'data-stale']});
})();
"""
SETTLED = """() => {
    const count = selector => document.querySelectorAll(selector).length;
    return document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'
        && !count('[data-stale="true"]') && count('.js-plotly-plot') === count('[data-testid="stPlotlyChart"]')
        && count('[data-testid="stSidebar"] [data-testid="stSelectbox"]') > 0;
}"""
TRACES = "() => [...document.querySelectorAll('.js-plotly-plot')].reduce((sum, graph) => sum + graph.data.length, 0)"


# ---------------------------------------------------------------- the apps


def dashboard_figures(db: str | Path, page: str, trails: list[tuple]) -> dict[str, list[tuple[str, str]]]:
    """The figures (spec and config JSON, as sent) the dashboard's `page` draws for each area given by its
    trail (common.tour; () for the top area), run by AppTest with the area in the address."""
    from streamlit.testing.v1 import AppTest

    from app.ui import AREA_PARAMETERS, DASHBOARD, PAGES

    os.environ["SENSUS_DB"] = str(db)
    script = next(script for script, url_path, _ in PAGES if url_path == page)
    with store.connect(db) as con:
        top = common.top_area(common.read_areas(con))
    figures = {}
    for trail in trails:
        app = AppTest.from_file(str(DASHBOARD), default_timeout=300)
        app.query_params.update({AREA_PARAMETERS[level]: name for level, _, name in trail})
        app.run().switch_page(script).run()
        if app.exception:
            raise RuntimeError(f"{page} failed for {trail}: {app.exception[0].value}")
        code = trail[-1][1] if trail else top
        figures[code] = [(chart.proto.spec, chart.proto.config) for chart in app.get("plotly_chart")]
    return figures


def start_app(name: str, db: str, port: int, work: Path) -> subprocess.Popen:
    """The dashboard, or one of the apps in apps/, serving `db` on 127.0.0.1:`port`."""
    log = work / f"{name}.log"
    if name == "dashboard":
        return start_server(Path(db), port, log)
    command = [
        *(sys.executable, "-m", "streamlit", "run", str(APP_DIR / f"{name}.py")),
        *("--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}"),
        *("--server.fileWatcherType=none", "--browser.gatherUsageStats=false"),
    ]
    environment = {**os.environ, "SENSUS_DB": db, "FELT_FIGURES": str(work / "figures.json")}
    with open(log, "wb") as out:
        app = subprocess.Popen(command, cwd=store.PROJECT_DIR, env=environment, stdout=out, stderr=subprocess.STDOUT)
    wait_until_healthy(app, port, log)
    return app


def address(app: str, base: str, page: str) -> str:
    return f"{base}/{page}" if app == "dashboard" else f"{base}/?page={page}"


# ---------------------------------------------------------------- the browser


class Tab:
    """One app in a tab of its own, counting what its server sends over the websocket."""

    def __init__(self, browser, url: str):
        self.url = url
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(WAIT_MS)
        self.context.add_init_script(FELT_JS)
        self.page = self.context.new_page()
        self.messages = self.bytes = 0
        self.page.on("websocket", self.watch)

    def watch(self, socket) -> None:
        if socket.url.endswith("/_stcore/stream"):
            socket.on("framereceived", self.count)

    def count(self, payload: bytes | str) -> None:
        self.messages += 1
        self.bytes += len(payload)

    def open(self) -> None:
        """The page loaded and its run over, seen twice half a second apart."""
        self.page.goto(self.url)
        steady, deadline = 0, time.monotonic() + WAIT_MS / 1000
        while steady < 2:
            steady = steady + 1 if self.page.evaluate(SETTLED) else 0
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.url} did not settle")
            self.page.wait_for_timeout(500)

    def change(self, trail: tuple) -> dict:
        """Choose the trail's last area in its select: milliseconds to every chart drawn, the messages and
        bytes the server sent for it, and the traces drawn."""
        level, _, name = trail[-1]
        self.page.bring_to_front()
        self.page.get_by_test_id("stSidebar").get_by_role(
            "combobox", name=level_label(level, common.LANG), exact=True
        ).click()
        messages, sent = self.messages, self.bytes
        self.page.get_by_role("option", name=name, exact=True).click()
        self.page.wait_for_function("() => window.__felt.done !== null", polling=50)
        ms = self.page.evaluate("window.__felt.done - window.__felt.click")
        self.page.wait_for_timeout(300)  # the last messages' events reach this process
        traces = self.page.evaluate(TRACES)
        return {"ms": ms, "messages": self.messages - messages, "bytes": self.bytes - sent, "traces": traces}

    def close(self) -> None:
        self.context.close()


def first_chart_ms(browser, url: str, select: bool) -> float:
    """A new session: milliseconds from navigation to the first chart's traces drawn (`select`: to the
    sidebar's select drawn)."""
    tab = Tab(browser, url)
    try:
        tab.page.goto(url)
        mark = "firstSelect" if select else "firstChart"
        tab.page.wait_for_function(f"() => window.__felt.{mark} !== null", polling=50)
        return tab.page.evaluate(f"window.__felt.{mark}")
    finally:
        tab.close()


def summary(changes: list[dict]) -> dict:
    times = [change["ms"] for change in changes]
    return {
        "median_ms": round(float(np.median(times)), 1),
        "p90_ms": round(float(np.percentile(times, 90)), 1),
        "messages": int(np.median([change["messages"] for change in changes])),
        "kb": round(float(np.median([change["bytes"] for change in changes])) / 1024, 1),
        "traces": int(np.median([change["traces"] for change in changes])),
    }


def measure_page(browser, bases: dict[str, str], page: str, steps: list, repeats: int, sessions: int) -> dict:
    """Every app on `page`: the tour once (first visits), then `repeats` changes along it, the apps taking
    turns; then `sessions` new sessions each."""
    apps = [app for app in APPS if app != "peer" or page in PEER_PAGES]
    tabs = {app: Tab(browser, address(app, bases[app], page)) for app in apps}
    firsts, changes = {app: [] for app in apps}, {app: [] for app in apps}
    try:
        for tab in tabs.values():
            tab.open()
        for number in range(len(steps) + repeats):
            for app, tab in tabs.items():
                (firsts if number < len(steps) else changes)[app].append(tab.change(steps[number % len(steps)]))
    finally:
        for tab in tabs.values():
            tab.close()
    results = {}
    for app in apps:
        url = address(app, bases[app], page)
        opened = [first_chart_ms(browser, url, select=app == "empty") for _ in range(sessions)]
        results[app] = {
            **summary(changes[app]),
            "first_visit_ms": round(float(np.median([change["ms"] for change in firsts[app]])), 1),
            "new_session_ms": round(float(np.median(opened)), 1),
        }
    return {"page": page, "apps": results, "ratios": ratios(results)}


def ratios(results: dict) -> dict:
    def ratio(top: str, bottom: str, measure: str = "median_ms") -> float | None:
        if top not in results or bottom not in results:
            return None
        return round(results[top][measure] / results[bottom][measure], 2)

    return {
        "dashboard/floor": ratio("dashboard", "floor"),
        "dashboard/peer": ratio("dashboard", "peer"),
        "floor/empty": ratio("floor", "empty"),
        "new session dashboard/empty": ratio("dashboard", "empty", "new_session_ms"),
    }


# ---------------------------------------------------------------- one scale, the run


def measure_scale(scale: str, pages: list[str], repeats: int, sessions: int) -> dict:
    db = store_for(scale, CACHE_DIR)["path"]
    with store.connect(db) as con:
        steps = common.tour(common.read_areas(con))
    with tempfile.TemporaryDirectory(prefix="sensus-felt-") as folder, ExitStack() as stack:
        work = Path(folder)
        figures = {page: dashboard_figures(db, page, [(), *steps]) for page in pages}
        (work / "figures.json").write_text(json.dumps(figures))
        bases = {}
        for app in APPS:
            port = free_port()
            stack.callback(stop_server, start_app(app, db, port, work))
            bases[app] = f"http://127.0.0.1:{port}"
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        results = [measure_page(browser, bases, page, steps, repeats, sessions) for page in pages]
    tour = " > ".join(trail[-1][2] for trail in steps)
    return {"scale": scale, "store": db, "tour": tour, "target": TARGET[scale], "pages": results}


def commit() -> str:
    described = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], cwd=store.PROJECT_DIR, capture_output=True, text=True
    )
    return described.stdout.strip()[:100]


def load() -> str:
    """The machine's load averages over 1, 5 and 15 minutes."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def report(results: dict) -> str:
    lines = [f"commit {results['commit']} · load {results['load_before']} before, {results['load_after']} after"]
    for scale in results["scales"]:
        lines += ["", f"== Scale {scale['scale']} · tour {scale['tour']}"]
        for page in scale["pages"]:
            lines.append(
                f"{page['page']:<12}{'median':>8}{'p90':>8}{'first':>8}{'msgs':>6}{'kB':>8}{'traces':>8}"
                f"{'session':>9}  (ms)"
            )
            for app, row in page["apps"].items():
                lines.append(
                    f"  {app:<10}{row['median_ms']:>8.0f}{row['p90_ms']:>8.0f}{row['first_visit_ms']:>8.0f}"
                    f"{row['messages']:>6}{row['kb']:>8.1f}{row['traces']:>8}{row['new_session_ms']:>9.0f}"
                )
            shown = [f"{name} {value:.2f}" for name, value in page["ratios"].items() if value is not None]
            lines.append(f"  ratios: {' · '.join(shown)}")
            lines.append(
                f"  targets: dashboard/floor <= {scale['target']}, new session dashboard/empty <= {SESSION_TARGET}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1", help="comma-separated, of " + ", ".join(FELT_SCALES))
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated URL paths of dashboard pages")
    parser.add_argument("--repeats", type=int, default=15, help="timed area changes per app and page")
    parser.add_argument("--sessions", type=int, default=5, help="new sessions per app and page")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    quiet_streamlit()
    scales = args.scales.split(",")
    if unknown := set(scales) - set(FELT_SCALES):
        parser.error(f"unknown scales {sorted(unknown)}; choose from {', '.join(FELT_SCALES)}")
    results = {"commit": commit(), "load_before": load()}
    results["scales"] = [measure_scale(scale, args.pages.split(","), args.repeats, args.sessions) for scale in scales]
    results["load_after"] = load()
    print(report(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
