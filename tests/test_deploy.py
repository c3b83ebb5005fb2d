"""deploy/: two dashboard processes started by deploy/serve.sh behind HAProxy configured as deploy/haproxy.cfg.
A browser's requests all reach the process that holds its session (a download made there is found there
and nowhere else), two browsers reach the two processes, and a store replaced while both serve is what
both show at their next run."""

import asyncio
import os
import re
import shutil
import signal
import subprocess

import pytest
import websockets

from sensus.sample import build_sample
from sensus.store import PROJECT_DIR
from tools.perf.load_test import Session, fetch
from tools.perf.server import free_port, start_balancer, stop_server, wait_until_healthy

pytestmark = pytest.mark.skipif(not shutil.which("haproxy"), reason="no HAProxy (apt-get install haproxy)")


@pytest.fixture(scope="module")
def balanced(tmp_path_factory):
    """The store both processes serve, and the balancer's port."""
    work = tmp_path_factory.mktemp("deploy")
    db = build_sample(work / "sensus.duckdb")
    first = free_port()
    log = work / "serve.log"
    with open(log, "wb") as out:
        processes = subprocess.Popen(
            [str(PROJECT_DIR / "deploy" / "serve.sh"), "2", str(first)],
            env={**os.environ, "SENSUS_DB": str(db)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        for port in (first, first + 1):
            wait_until_healthy(processes, port, log)
        port = free_port()
        balancer = start_balancer(port, [first, first + 1], work)
        yield db, port
        stop_server(balancer)
    finally:
        processes.terminate()  # serve.sh stops the processes it started
        try:
            processes.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(processes.pid, signal.SIGKILL)
            processes.wait()


async def open_session(port: int, query_string: str) -> tuple[Session, str]:
    """A browser loading the page through the balancer and opening the app at `query_string`: its session
    and the process the balancer's cookie names."""
    http_url = f"http://127.0.0.1:{port}"
    status, _, cookie = fetch(f"{http_url}/?{query_string}")
    assert status == 200
    server = re.fullmatch(r"SERVERID=(dash[12])", cookie.split("; ")[0])[1]
    connection = await websockets.connect(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,
        additional_headers={"Cookie": cookie},
    )
    session = Session(connection, query_string, http_url, cookie)
    _, exceptions = await session.rerun()
    assert exceptions == []
    return session, server


async def a_download(session: Session) -> tuple[str, str]:
    """The address of the first download the session's page offers (the file made by its process), and
    the file as the session fetches it."""
    address = session.downloads[sorted(session.downloads)[0]]
    status, body, cookie_set = fetch(session.http_url + address, session.cookie)
    assert status == 200 and "SERVERID" not in cookie_set  # the balancer kept the session's process
    return address, body.decode("utf-8-sig")


def test_each_session_stays_on_its_process_and_both_switch_to_a_replaced_store(balanced):
    db, port = balanced

    async def scenario():
        # Different areas: different files (a file's address is its content's digest).
        first, first_server = await open_session(port, "")
        second, second_server = await open_session(port, "kecamatan=Kota+Lama")  # the first holds a connection
        assert {first_server, second_server} == {"dash1", "dash2"}
        try:
            for session in (first, second):
                assert session.downloads, "the first page offers a download"
                address, table = await a_download(session)
                assert "seed 2020" in table
                # Only the process holding the session made the file: through the other one it is missing.
                other = second if session is first else first
                assert fetch(session.http_url + address, other.cookie)[0] == 404
                for path in ("/_stcore/health", "/_stcore/host-config"):
                    assert "SERVERID" not in fetch(session.http_url + path, session.cookie)[2]

            build_sample(db, seed=2021)  # as a load does: a new file renamed over the store
            for session in (first, second):
                _, exceptions = await session.rerun()
                assert exceptions == []
                assert "seed 2021" in (await a_download(session))[1]
        finally:
            await first.connection.close()
            await second.connection.close()

    asyncio.run(scenario())
