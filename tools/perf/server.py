"""The dashboard as a local server on a free port, for the load test, the benchmark and the browser tests;
and several of them behind HAProxy configured as deploy/haproxy.cfg."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sensus.store import PROJECT_DIR

BALANCER_TEMPLATE = PROJECT_DIR / "deploy" / "haproxy.cfg"


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
    wait_until_healthy(server, port, log)
    return server


def wait_until_healthy(process: subprocess.Popen, port: int, log: Path) -> None:
    """Return once 127.0.0.1:`port` answers the dashboard's health check; else stop `process` and raise
    RuntimeError, if it exits or 60 s pass."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    why = "within 60 s" if process.poll() is None else f"(it exited with code {process.returncode})"
    process.kill()
    process.wait()
    raise RuntimeError(f"{process.args[0]} on port {port} did not start {why}; see {log}")


def balancer_config(port: int, server_ports: list[int]) -> str:
    """deploy/haproxy.cfg listening on 127.0.0.1:`port`, its servers (the lines that end it) replaced by
    one per port in `server_ports`, named and cookied dash1, dash2... as there."""
    kept = [line for line in BALANCER_TEMPLATE.read_text().splitlines() if not line.strip().startswith("server ")]
    kept = [re.sub(r"^(\s*bind\s+)\S+", rf"\g<1>127.0.0.1:{port}", line) for line in kept]
    servers = [
        f"    server dash{number} 127.0.0.1:{server_port} cookie dash{number} check"
        for number, server_port in enumerate(server_ports, 1)
    ]
    return "\n".join(kept + servers) + "\n"


def start_balancer(port: int, server_ports: list[int], work: Path) -> subprocess.Popen:
    """HAProxy on 127.0.0.1:`port` in front of the dashboards on `server_ports`, its configuration and log
    in `work`, once it passes the health check through to a dashboard."""
    config, log = work / "haproxy.cfg", work / "haproxy.log"
    config.write_text(balancer_config(port, server_ports))
    with open(log, "wb") as out:
        balancer = subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=out, stderr=subprocess.STDOUT)
    wait_until_healthy(balancer, port, log)
    return balancer


@contextmanager
def serving(db: Path, processes: int, work: Path) -> Iterator[tuple[int, list[subprocess.Popen], list[Path]]]:
    """`processes` dashboards serving `db`, behind HAProxy when more than one: the port to reach them
    by, the dashboards' processes and their logs (in `work`). Everything stops on leaving."""
    ports = [free_port() for _ in range(processes)]
    entry = free_port() if processes > 1 else ports[0]
    logs = [work / f"server{number}.log" for number in range(1, processes + 1)]
    shared_secret = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex()}
    with ExitStack() as stack:
        servers = []
        for port, log in zip(ports, logs, strict=True):
            servers.append(start_server(db, port, log, shared_secret))
            stack.callback(stop_server, servers[-1])
        if processes > 1:
            stack.callback(stop_server, start_balancer(entry, ports, work))
        yield entry, servers, logs


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
