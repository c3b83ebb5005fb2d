"""Load test: python -m tools.perf.load_test [--sessions 30] [--steps 12] [--processes N [--compare]] [--warm]
[--db PATH]

Starts the dashboard on 127.0.0.1 (free ports) over a freshly built sample store (or the store
named), as several processes behind HAProxy (deploy/haproxy.cfg) with --processes, and drives
concurrent sessions as the browser does: each session loads the page (receiving the balancer's
cookie, which it sends with every later request), opens the app over Streamlit's own websocket
protocol, then takes a fixed number of seeded steps (another page, another kecamatan or kelurahan,
another choice in a page's selects, the other language, the presentation's buttons, a download)
with a short pause between them. It prints the errors (there must be none: an exception shown on a
page, a run that fails or never ends, a download that fails, a traceback in a server's log), the
p50/p95 time of a rerun (request sent to script finished; the browser's drawing is not included)
and the servers' peak memory, then stops them; --compare runs the same load through one process
first and prints both side by side; --warm first runs the same load with other steps, unmeasured, so that
the figures are those of servers whose caches hold what some use has asked. Bounded in sessions, steps
and time; loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from sensus.sample import build_sample
from tools.perf.server import serving

RUN_TIMEOUT = 120  # seconds for one rerun before it counts as an error
RUN_OVER = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)


@dataclass
class Tally:
    first_runs: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    downloads: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_process: Counter = field(default_factory=Counter)  # sessions by the balancer's cookie
    processes_down: list[str] = field(default_factory=list)  # the balancer's health check failed them
    open_sessions: int = 0
    most_open: int = 0


@dataclass
class Widget:
    id: str
    kind: str
    options: list[str]


def fetch(url: str, cookie: str = "") -> tuple[int, bytes, str]:
    """GET `url` sending `cookie`: the status, the body and the cookies set, as a Cookie header."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=RUN_TIMEOUT) as answer:
            cookies = "; ".join(value.split(";")[0] for value in answer.headers.get_all("Set-Cookie") or [])
            return answer.status, answer.read(), cookies
    except urllib.error.HTTPError as error:
        return error.code, error.read(), ""


class Session:
    """One browser's worth of conversation with the server: the page it is on, the widget values
    it has set, and what the last run drew; with the address it loaded the page from and the cookie
    that page set, for downloads."""

    def __init__(self, connection, query_string: str, http_url: str = "", cookie: str = "") -> None:
        self.connection = connection
        self.query_string = query_string
        self.http_url = http_url
        self.cookie = cookie
        self.session_id = ""
        self.page_hash = ""
        self.pages: list[str] = []
        self.widgets: dict[str, Widget] = {}  # by the widget's key, as the last run drew them
        self.values: dict[str, WidgetState] = {}  # by key: what this session has chosen
        self.downloads: dict[str, str] = {}  # the last run's download buttons: key -> the file's address
        self.closed: dict[str, str] = {}  # the last run's closed blocks ("Lihat data", a menu): key -> id

    async def rerun(self, triggered: WidgetState | None = None) -> tuple[float, list[str]]:
        """Ask for a run with the session's state; its duration and the exceptions it showed."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash
        for key, value in self.values.items():
            sent = state.widget_states.widgets.add()
            sent.CopyFrom(value)
            sent.id = self.widgets[key].id if key in self.widgets else value.id  # a block keeps its id
        if triggered is not None:
            state.widget_states.widgets.add().CopyFrom(triggered)
        started = time.perf_counter()
        await self.connection.send(message.SerializeToString())
        drawn, downloads, closed, blocks, exceptions = {}, {}, {}, set(), []
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(await asyncio.wait_for(self.connection.recv(), RUN_TIMEOUT))
            kind = reply.WhichOneof("type")
            if kind == "new_session":
                self.session_id = reply.new_session.initialize.session_id
            elif kind == "navigation" and reply.navigation.app_pages:
                self.pages = [page.page_script_hash for page in reply.navigation.app_pages]
                self.page_hash = reply.navigation.page_script_hash or self.page_hash
            elif kind == "page_not_found":
                exceptions.append(f"page not found: {reply.page_not_found.page_name}")
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element = reply.delta.new_element
                what = element.WhichOneof("type")
                if what == "exception":
                    exceptions.append(f"exception shown ({element.exception.type or 'details in the server log'})")
                elif what == "download_button" and element.download_button.url:
                    downloads[element.download_button.id.split("-", 2)[-1]] = element.download_button.url
                elif what in ("selectbox", "button_group", "button") and not getattr(element, what).disabled:
                    widget = getattr(element, what)
                    key = widget.id.split("-", 2)[-1]  # $$ID-<hash>-<key>
                    if key != "None":
                        options = [getattr(option, "content", option) for option in getattr(widget, "options", [])]
                        drawn[key] = Widget(widget.id, what, options)
            elif kind == "delta" and reply.delta.WhichOneof("type") == "add_block":
                block = reply.delta.add_block
                which = block.WhichOneof("type")
                if which in ("expandable", "popover") and getattr(block, which).id:
                    state = getattr(block, which)
                    blocks.add(state.id.split("-", 2)[-1])
                    if not (state.expanded if which == "expandable" else state.open):
                        closed[state.id.split("-", 2)[-1]] = state.id
            elif kind == "script_finished" and reply.script_finished in RUN_OVER:
                self.widgets, self.downloads, self.closed = drawn, downloads, closed
                self.values = {key: value for key, value in self.values.items() if key in drawn or key in blocks}
                return time.perf_counter() - started, exceptions

    def offers(self) -> list[str]:
        """The kinds of step the page offers: another page, a select, the language, a button."""
        return [
            "page",
            *["select"] * bool(self.selects()),
            *["language"] * ("lang" in self.widgets),
            *["button"] * bool(self.buttons()),
            *["open"] * bool(self.closed),
        ]

    def selects(self) -> list[str]:
        return sorted(
            key for key, widget in self.widgets.items() if widget.kind == "selectbox" and len(widget.options) > 1
        )

    def buttons(self) -> list[str]:
        return sorted(key for key, widget in self.widgets.items() if widget.kind == "button")

    async def step(self, kind: str, which: int) -> tuple[str, float, list[str]]:
        """A step of a kind the page offers (else another page); `which`, any whole number, picks
        its target. Returns what was done, how long the rerun took and the exceptions it showed."""
        kind = kind if kind in self.offers() else "page"
        if kind == "page":
            others = [page for page in self.pages if page != self.page_hash] or [self.page_hash]
            self.page_hash = others[which % len(others)]
            return ("another page", *await self.rerun())
        if kind == "select":
            selects = self.selects()
            key = selects[which % len(selects)]
            current = self.values[key].string_value if key in self.values else None
            options = [option for option in self.widgets[key].options if option != current]
            self.values[key] = WidgetState(string_value=options[which // len(selects) % len(options)])
            return (f"{key} {self.values[key].string_value}", *await self.rerun())
        if kind == "language":
            current = self.values["lang"].string_array_value.data[0] if "lang" in self.values else None
            other = next(option for option in self.widgets["lang"].options[::-1] if option != current)
            self.values["lang"] = WidgetState()
            self.values["lang"].string_array_value.data.append(other)
            return (f"language {other}", *await self.rerun())
        if kind == "open":  # a "Lihat data" block or the download menu: its table and downloads are made
            key = sorted(self.closed)[which % len(self.closed)]
            self.values[key] = WidgetState(id=self.closed[key], bool_value=True)
            return (f"open {key}", *await self.rerun())
        key = self.buttons()[which % len(self.buttons())]
        return (f"button {key}", *await self.rerun(WidgetState(id=self.widgets[key].id, trigger_value=True)))

    async def download(self, which: int) -> tuple[str, float, list[str]]:
        """One of the page's downloads (`which` picks it): the file the process holding the session made
        for its run, fetched by its address with the session's cookie, which must lead there."""
        key = sorted(self.downloads)[which % len(self.downloads)]
        started = time.perf_counter()
        status, body, _ = await asyncio.to_thread(fetch, self.http_url + self.downloads[key], self.cookie)
        problems = [] if status == 200 and body else [f"download answered {status} with {len(body)} bytes"]
        return f"download {key}", time.perf_counter() - started, problems


class ServerWatch(threading.Thread):
    """The highest resident memory of each server (with its child processes) and of all together, and
    the CPU time they spent while watched."""

    def __init__(self, *pids: int) -> None:
        super().__init__(daemon=True)
        self.processes = [psutil.Process(pid) for pid in pids]
        self.peaks = [0] * len(pids)
        self.peak_memory = 0
        self.cpu_before = self._cpu()
        self.cpu_seconds = 0.0
        self.done = threading.Event()

    def _cpu(self) -> float:
        return sum(sum(process.cpu_times()[:2]) for process in self.processes)

    def run(self) -> None:
        while not self.done.wait(0.2):
            try:
                memory = [
                    sum(part.memory_info().rss for part in [process, *process.children(recursive=True)])
                    for process in self.processes
                ]
                self.peaks = [max(peak, now) for peak, now in zip(self.peaks, memory, strict=True)]
                self.peak_memory = max(self.peak_memory, sum(memory))
                self.cpu_seconds = self._cpu() - self.cpu_before
            except psutil.Error:
                return


async def drive(port: int, index: int, steps: int, delay: float, think: float, tally: Tally, seed: int) -> None:
    """One session: after `delay`, load the page and open the app, then take `steps` steps seeded by
    `seed` and the session's index, with pauses."""
    rng = random.Random(seed * 1_000_003 + index)
    await asyncio.sleep(delay)
    tally.open_sessions += 1
    tally.most_open = max(tally.most_open, tally.open_sessions)
    action = "loading the page"
    http_url = f"http://127.0.0.1:{port}"
    try:
        _, _, cookie = await asyncio.to_thread(fetch, f"{http_url}/")
        if balanced := re.search(r"SERVERID=(\w+)", cookie):
            tally.by_process[balanced[1]] += 1
        action = "the first run"
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            additional_headers={"Cookie": cookie} if cookie else None,
        ) as connection:
            session = Session(connection, "kecamatan=Kota+Lama" if index % 2 else "", http_url, cookie)
            seconds, exceptions = await session.rerun()
            tally.first_runs.append(seconds)
            tally.errors += [f"session {index}: {exception} on {action}" for exception in exceptions]
            for _ in range(steps):
                await asyncio.sleep(rng.uniform(0, 2 * think))
                kind = rng.choice(session.offers() + ["page", "select"] + ["download"] * bool(session.downloads))
                if kind == "download":
                    action, seconds, exceptions = await session.download(rng.randrange(1000))
                    tally.downloads.append(seconds)
                else:
                    action, seconds, exceptions = await session.step(kind, rng.randrange(1000))
                    tally.reruns.append(seconds)
                tally.errors += [f"session {index}: {exception} after {action}" for exception in exceptions]
    except (OSError, TimeoutError, websockets.WebSocketException) as error:
        tally.errors.append(f"session {index}: {type(error).__name__} during {action}: {error}")
    finally:
        tally.open_sessions -= 1


async def drive_all(
    port: int, sessions: int, steps: int, ramp: float, think: float, max_seconds: float, tally: Tally, seed: int = 0
) -> None:
    runs = asyncio.gather(
        *(drive(port, index, steps, ramp * index / sessions, think, tally, seed) for index in range(sessions))
    )
    try:
        await asyncio.wait_for(runs, timeout=max_seconds)
    except TimeoutError:
        tally.errors.append(f"the sessions did not finish within {max_seconds:.0f} s")


def tracebacks(log: str) -> list[str]:
    """Each traceback in the server's log as where it was raised and the kind of exception."""
    found, lines = [], log.splitlines()
    for start, line in enumerate(lines):
        if line.startswith("Traceback"):
            block = lines[start + 1 :]
            end = next((index for index, text in enumerate(block) if not text.startswith(" ")), len(block))
            places = [text.strip() for text in block[:end] if text.strip().startswith("File ")]
            raised = block[end].split(":")[0] if end < len(block) else "an unfinished traceback"
            found.append(f"{raised} at {places[-1] if places else 'an unknown place'}")
    return found


def seconds(values: list[float], percentile: int) -> str:
    return f"{np.percentile(values, percentile):.2f} s" if values else "n/a"


@dataclass
class Measured:
    processes: int
    tally: Tally
    watch: ServerWatch
    elapsed: float


def measure(db: Path, processes: int, args: argparse.Namespace, work: Path) -> Measured:
    """The load of `args` through `processes` dashboards serving `db` (behind HAProxy when more than one)."""
    with serving(db, processes, work) as (port, servers, logs):
        load = (port, args.sessions, args.steps, args.ramp_seconds, args.think_seconds, args.max_seconds)
        tally, warm_up = Tally(), Tally()
        if args.warm:  # the same load with other steps first, unmeasured: caches as after some use
            asyncio.run(drive_all(*load, warm_up, seed=1))
        watch = ServerWatch(*(server.pid for server in servers))
        watch.start()
        started = time.monotonic()
        try:
            asyncio.run(drive_all(*load, tally))
        finally:
            watch.done.set()
        tally.errors += [f"warm-up: {error}" for error in warm_up.errors]
    for number, log in enumerate(logs, 1):
        tally.errors += [f"server {number}: {problem}" for problem in tracebacks(log.read_text(errors="replace"))]
    balancer_log = work / "haproxy.log"
    if balancer_log.exists():
        lines = balancer_log.read_text(errors="replace").splitlines()
        tally.processes_down = [line.split("Server ", 1)[-1] for line in lines if " is DOWN" in line]
    return Measured(processes, tally, watch, time.monotonic() - started)


def mib(size: int) -> str:
    return f"{size / 2**20:.0f} MiB"


def report(run: Measured, args: argparse.Namespace) -> None:
    tally, watch = run.tally, run.watch
    through = "one process" if run.processes == 1 else f"{run.processes} processes behind HAProxy"
    through += ", after a warm-up pass of other steps" if args.warm else ""
    print(
        f"{args.sessions} sessions x {args.steps} steps (pauses of {args.think_seconds:g} s on average) through "
        f"{through}: {len(tally.reruns)} reruns and {len(tally.downloads)} downloads in {run.elapsed:.0f} s, "
        f"at most {tally.most_open} sessions open at once"
    )
    if tally.by_process:
        print("sessions by process:", ", ".join(f"{name} {count}" for name, count in sorted(tally.by_process.items())))
    for event in tally.processes_down:
        print(f"balancer: {event}")
    print(f"errors: {len(tally.errors)}")
    for error, times in Counter(re.sub(r"^session \d+: ", "", error) for error in tally.errors).most_common(12):
        print(f"  {times} x {error}")
    print(
        f"rerun: p50 {seconds(tally.reruns, 50)}, p95 {seconds(tally.reruns, 95)}; "
        f"first run of a session: p50 {seconds(tally.first_runs, 50)}, p95 {seconds(tally.first_runs, 95)}; "
        f"download: p95 {seconds(tally.downloads, 95)}"
    )
    each = f" ({', '.join(mib(peak) for peak in watch.peaks)} each)" if run.processes > 1 else ""
    print(
        f"servers: peak memory {mib(watch.peak_memory)}{each} (resident, with child processes), "
        f"CPU {watch.cpu_seconds:.0f} s in {run.elapsed:.0f} s"
    )


def side_by_side(runs: list[Measured]) -> None:
    rows = {
        "processes": [str(run.processes) for run in runs],
        "errors": [str(len(run.tally.errors)) for run in runs],
        "rerun p50": [seconds(run.tally.reruns, 50) for run in runs],
        "rerun p95": [seconds(run.tally.reruns, 95) for run in runs],
        "first run p95": [seconds(run.tally.first_runs, 95) for run in runs],
        "peak memory, all": [mib(run.watch.peak_memory) for run in runs],
        "peak memory, largest": [mib(max(run.watch.peaks)) for run in runs],
        "CPU": [f"{run.watch.cpu_seconds:.0f} s" for run in runs],
    }
    for name, values in rows.items():
        print(f"{name:<22}" + "".join(f"{value:>14}" for value in values))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.perf.load_test", description=__doc__.split("\n\n")[1])
    parser.add_argument("--sessions", type=int, default=30, help="concurrent sessions (default 30)")
    parser.add_argument("--steps", type=int, default=12, help="steps per session (default 12)")
    parser.add_argument(
        "--processes", type=int, default=1, help="dashboard processes, behind HAProxy when more than one (default 1)"
    )
    parser.add_argument("--compare", action="store_true", help="run the same load through one process first")
    parser.add_argument(
        "--think-seconds",
        type=float,
        default=5.0,
        help="mean pause between a session's steps, as a reader looks at a chart (default 5)",
    )
    parser.add_argument(
        "--ramp-seconds", type=float, default=10, help="sessions open one after another over this long (default 10)"
    )
    parser.add_argument(
        "--warm", action="store_true", help="first run the same load with other steps, unmeasured (caches as after use)"
    )
    parser.add_argument("--max-seconds", type=float, default=900, help="stop after this long (default 900)")
    parser.add_argument("--db", help="the store to serve (default: a sample built for the run)")
    args = parser.parse_args(argv)
    counts = sorted({1, args.processes}) if args.compare else [args.processes]
    runs = []
    with tempfile.TemporaryDirectory(prefix="sensus-load-") as work:
        db = Path(args.db) if args.db else build_sample(Path(work) / "sensus.duckdb")
        for processes in counts:
            run_dir = Path(work) / f"{processes}-processes"
            run_dir.mkdir()
            runs.append(measure(db, processes, args, run_dir))
            report(runs[-1], args)
            print()
    if len(runs) > 1:
        side_by_side(runs)
    return 1 if any(run.tally.errors for run in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
