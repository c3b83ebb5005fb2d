"""The dashboard as a local server on a free port, for the load test, the benchmark and the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sensus.store import PROJECT_DIR


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, port: int, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """The dashboard serving `db` on 127.0.0.1:`port` once it answers its health check, its output
    in `log`; `env` adds to the environment it runs in. RuntimeError if it exits or is not up in 60 s."""
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PROJECT_DIR / "dashboard.py"),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]
    with open(log, "wb") as out:
        server = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env={**os.environ, "SENSUS_DB": str(db), **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return server
        except OSError:
            time.sleep(0.3)
    why = "within 60 s" if server.poll() is None else f"(it exited with code {server.returncode})"
    server.kill()
    server.wait()
    raise RuntimeError(f"the dashboard did not start {why}; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
