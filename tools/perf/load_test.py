"""Load test: python -m tools.perf.load_test [--sessions 30] [--steps 12] [--db PATH]

Starts the dashboard on 127.0.0.1 (a free port) over a freshly built sample store (or the store
named) and drives concurrent sessions through Streamlit's own websocket protocol, as the browser
does: each session opens the app, then takes a fixed number of seeded steps (another page, another
kecamatan or kelurahan, another choice in a page's selects, the other language, the presentation's
buttons) with a short pause between them. It prints the errors (there must be none: an exception
shown on a page, a run that fails or never ends, a traceback in the server's log), the p50/p95 time
of a rerun (request sent to script finished; the browser's drawing is not included) and the
server's peak memory, then stops the server. Bounded in sessions, steps and time; loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import tempfile
import threading
import time
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
from tools.perf.server import free_port, start_server, stop_server

RUN_TIMEOUT = 120  # seconds for one rerun before it counts as an error
RUN_OVER = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)


@dataclass
class Tally:
    first_runs: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    open_sessions: int = 0
    most_open: int = 0


@dataclass
class Widget:
    id: str
    kind: str
    options: list[str]


class Session:
    """One browser's worth of conversation with the server: the page it is on, the widget values
    it has set, and what the last run drew."""

    def __init__(self, connection, query_string: str) -> None:
        self.connection = connection
        self.query_string = query_string
        self.page_hash = ""
        self.pages: list[str] = []
        self.widgets: dict[str, Widget] = {}  # by the widget's key, as the last run drew them
        self.values: dict[str, WidgetState] = {}  # by key: what this session has chosen

    async def rerun(self, triggered: WidgetState | None = None) -> tuple[float, list[str]]:
        """Ask for a run with the session's state; its duration and the exceptions it showed."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash
        for key, value in self.values.items():
            sent = state.widget_states.widgets.add()
            sent.CopyFrom(value)
            sent.id = self.widgets[key].id
        if triggered is not None:
            state.widget_states.widgets.add().CopyFrom(triggered)
        started = time.perf_counter()
        await self.connection.send(message.SerializeToString())
        drawn, exceptions = {}, []
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(await asyncio.wait_for(self.connection.recv(), RUN_TIMEOUT))
            kind = reply.WhichOneof("type")
            if kind == "navigation" and reply.navigation.app_pages:
                self.pages = [page.page_script_hash for page in reply.navigation.app_pages]
                self.page_hash = reply.navigation.page_script_hash or self.page_hash
            elif kind == "page_not_found":
                exceptions.append(f"page not found: {reply.page_not_found.page_name}")
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element = reply.delta.new_element
                what = element.WhichOneof("type")
                if what == "exception":
                    exceptions.append(f"exception shown ({element.exception.type or 'details in the server log'})")
                elif what in ("selectbox", "button_group", "button") and not getattr(element, what).disabled:
                    widget = getattr(element, what)
                    key = widget.id.split("-", 2)[-1]  # $$ID-<hash>-<key>
                    if key != "None":
                        options = [getattr(option, "content", option) for option in getattr(widget, "options", [])]
                        drawn[key] = Widget(widget.id, what, options)
            elif kind == "script_finished" and reply.script_finished in RUN_OVER:
                self.widgets = drawn
                self.values = {key: value for key, value in self.values.items() if key in drawn}
                return time.perf_counter() - started, exceptions

    def offers(self) -> list[str]:
        """The kinds of step the page offers: another page, a select, the language, a button."""
        return [
            "page",
            *["select"] * bool(self.selects()),
            *["language"] * ("lang" in self.widgets),
            *["button"] * bool(self.buttons()),
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
        key = self.buttons()[which % len(self.buttons())]
        return (f"button {key}", *await self.rerun(WidgetState(id=self.widgets[key].id, trigger_value=True)))


class ServerWatch(threading.Thread):
    """The server's highest resident memory (with its child processes) and its CPU time."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak_memory = 0
        self.cpu_seconds = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            try:
                processes = [self.process, *self.process.children(recursive=True)]
                self.peak_memory = max(self.peak_memory, sum(process.memory_info().rss for process in processes))
                times = self.process.cpu_times()
                self.cpu_seconds = times.user + times.system
            except psutil.Error:
                return


async def drive(url: str, index: int, steps: int, delay: float, think: float, tally: Tally) -> None:
    """One session: after `delay`, open the app, then take `steps` seeded steps with pauses."""
    rng = random.Random(index)
    await asyncio.sleep(delay)
    tally.open_sessions += 1
    tally.most_open = max(tally.most_open, tally.open_sessions)
    action = "the first run"
    try:
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as connection:
            session = Session(connection, "kecamatan=Kota+Lama" if index % 2 else "")
            seconds, exceptions = await session.rerun()
            tally.first_runs.append(seconds)
            tally.errors += [f"session {index}: {exception} on {action}" for exception in exceptions]
            for _ in range(steps):
                await asyncio.sleep(rng.uniform(0, 2 * think))
                kinds = session.offers()
                action, seconds, exceptions = await session.step(
                    rng.choice(kinds + ["page", "select"]), rng.randrange(1000)
                )
                tally.reruns.append(seconds)
                tally.errors += [f"session {index}: {exception} after {action}" for exception in exceptions]
    except (OSError, TimeoutError, websockets.WebSocketException) as error:
        tally.errors.append(f"session {index}: {type(error).__name__} during {action}: {error}")
    finally:
        tally.open_sessions -= 1


async def drive_all(
    url: str, sessions: int, steps: int, ramp: float, think: float, max_seconds: float, tally: Tally
) -> None:
    runs = asyncio.gather(
        *(drive(url, index, steps, ramp * index / sessions, think, tally) for index in range(sessions))
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.perf.load_test", description=__doc__.split("\n\n")[1])
    parser.add_argument("--sessions", type=int, default=30, help="concurrent sessions (default 30)")
    parser.add_argument("--steps", type=int, default=12, help="steps per session (default 12)")
    parser.add_argument(
        "--think-seconds",
        type=float,
        default=5.0,
        help="mean pause between a session's steps, as a reader looks at a chart (default 5)",
    )
    parser.add_argument(
        "--ramp-seconds", type=float, default=10, help="sessions open one after another over this long (default 10)"
    )
    parser.add_argument("--max-seconds", type=float, default=900, help="stop after this long (default 900)")
    parser.add_argument("--db", help="the store to serve (default: a sample built for the run)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sensus-load-") as work:
        db = Path(args.db) if args.db else build_sample(Path(work) / "sensus.duckdb")
        port, log = free_port(), Path(work) / "server.log"
        server = start_server(db, port, log)
        watch = ServerWatch(server.pid)
        watch.start()
        tally, started = Tally(), time.monotonic()
        try:
            asyncio.run(
                drive_all(
                    f"ws://127.0.0.1:{port}/_stcore/stream",
                    args.sessions,
                    args.steps,
                    args.ramp_seconds,
                    args.think_seconds,
                    args.max_seconds,
                    tally,
                )
            )
        finally:
            watch.done.set()
            stop_server(server)
        elapsed = time.monotonic() - started
        tally.errors += [f"server: {problem}" for problem in tracebacks(log.read_text(errors="replace"))]
    print(
        f"{args.sessions} sessions x {args.steps} steps (pauses of {args.think_seconds:g} s on average): "
        f"{len(tally.reruns)} reruns in {elapsed:.0f} s, at most {tally.most_open} sessions open at once, "
        f"server on 127.0.0.1:{port}"
    )
    print(f"errors: {len(tally.errors)}")
    for error, times in Counter(re.sub(r"^session \d+: ", "", error) for error in tally.errors).most_common(12):
        print(f"  {times} x {error}")
    print(
        f"rerun: p50 {seconds(tally.reruns, 50)}, p95 {seconds(tally.reruns, 95)}; "
        f"first run of a session: p50 {seconds(tally.first_runs, 50)}, p95 {seconds(tally.first_runs, 95)}"
    )
    print(
        f"server: peak memory {watch.peak_memory / 2**20:.0f} MiB (resident, with child processes), "
        f"CPU {watch.cpu_seconds:.0f} s in {elapsed:.0f} s"
    )
    return 1 if tally.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
