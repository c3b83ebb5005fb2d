"""Hostile and random input: nothing from a URL or a widget ever becomes SQL text, and no exception
reaches the user of any page."""

from __future__ import annotations

import ast
import asyncio
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
import streamlit
import websockets
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import queries
from app import ui
from queries import run
from sensus import indicators, store
from tools.perf import load_test
from tools.perf.server import free_port, start_server, stop_server

PROJECT = Path(__file__).resolve().parent.parent
HOSTILE = [
    "'; drop table areas; --",
    "53.71' or '1'='1",
    '53.71"; delete from population; --',
    "$area",
    "?",
    "%s",
    "{area}",
    "../sensus/schema",
    "53.71\x00",
    "５３.７１",
    "x" * 10_000,
    "",
]


def serving_sources() -> list[Path]:
    """dashboard.py, the pages, and every sensus module they import, transitively: the code that
    handles values from a URL or a widget. (The upload page hands a file to sensus.ingest, whose
    hostile inputs have tests of their own, tests/test_hostile_inputs.py.)"""
    seen, todo = (
        set(),
        [PROJECT / "dashboard.py", *(page for page in PROJECT.glob("pages/*.py") if page.name != "unggah.py")],
    )
    while todo:
        path = todo.pop()
        if path in seen or not path.exists():
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sensus"):
                modules = [f"sensus.{alias.name}" for alias in node.names] if node.module == "sensus" else [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names if alias.name.startswith("sensus")]
            else:
                continue
            todo += [PROJECT / f"{module.replace('.', '/')}.py" for module in modules]
    return sorted(seen)


def calls(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Call):
            yield node


def built_text(node: ast.expr) -> bool:
    """Whether an expression builds a string at run time: an f-string, + or %, .format() or .join()."""
    return (
        isinstance(node, ast.JoinedStr)
        or isinstance(node, ast.BinOp)
        and isinstance(node.op, (ast.Add, ast.Mod))
        or isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "join")
    )


# SQL text built in code that serves pages, each with why no value from a request can reach it.
BUILT_FROM_THE_STORE_ITSELF = {
    "sensus/store.py:connect_afresh": "views named after the tables the store file itself holds",
}


def sql_calls(path: Path):
    """(enclosing function, call) for each call that passes SQL text: execute, executemany, sql, query."""
    tree = ast.parse(path.read_text(), filename=str(path))
    functions = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for call in calls(path):
        if isinstance(call.func, ast.Attribute) and call.func.attr in ("execute", "executemany", "sql", "query"):
            inside = [function for function in functions if function.lineno <= call.lineno <= function.end_lineno]
            yield (max(inside, key=lambda function: function.lineno).name if inside else "<module>"), call


def test_no_sql_text_is_built_from_values():
    checked, built = 0, []
    for path in serving_sources():
        for function, call in sql_calls(path):
            checked += 1
            where = f"{path.relative_to(PROJECT)}:{function}"
            if call.args and built_text(call.args[0]) and where not in BUILT_FROM_THE_STORE_ITSELF:
                built.append(f"{where} line {call.lineno}")
    assert built == [] and checked > 10


def test_every_query_run_names_a_query_file():
    """queries.run(con, name, **values) binds every value; the name is the only text it takes, and
    it must be a query file's name (a name not in queries/ is refused at run time, see below)."""
    checked, wrong = 0, []
    for path in serving_sources():
        for call in calls(path):
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
            if name != "run" or len(call.args) < 2:
                continue
            checked += 1
            query = call.args[1]
            if isinstance(query, ast.Constant) and query.value not in queries.names() or built_text(query):
                wrong.append(f"{path.relative_to(PROJECT)}:{call.lineno}")
    assert wrong == [] and checked > 10


def test_a_query_is_read_by_name_never_by_path():
    with pytest.raises(KeyError, match="no query named '../sensus/schema'"):
        queries.sql("../sensus/schema")


def test_query_files_take_values_only_as_parameters():
    for name in queries.names():
        text = queries.sql(name)
        assert not re.search(r"\{\w*\}|%s|\?", text), name


def parameters(name: str) -> list[str]:
    return sorted(set(re.findall(r"\$(\w+)", queries.sql(name))))


def fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    tables = [row[0] for row in con.execute("select table_name from information_schema.tables order by 1").fetchall()]
    return {table: con.execute(f'select count(*), sum(hash(t)) from "{table}" as t').fetchone() for table in tables}


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    """A writable tiny store: had any value become SQL text, it could drop or delete."""
    from conftest import build_tiny_store

    path = tmp_path_factory.mktemp("fuzz") / "tiny.duckdb"
    build_tiny_store(path)
    con = store.connect(path, read_only=False)
    yield con
    con.close()


def known_codes(con) -> set[str]:
    return {row[0] for row in con.execute("select code from areas").fetchall()}


def run_with(con, name: str, value) -> None:
    """Run a query with `value` as every parameter; a value that is not of a typed parameter's type (a date,
    a dataset's number, a list of dimensions) is refused by DuckDB as a conversion error, which is not an
    injection."""
    try:
        run(con, name, **{parameter: value for parameter in parameters(name)})
    except (duckdb.ConversionException, duckdb.InvalidInputException) as error:
        assert re.search(r"date|int|varchar\[\]", str(error).lower()), error


@pytest.mark.parametrize("value", HOSTILE)
def test_every_query_with_hostile_values_leaves_the_store_intact(writable, value):
    before = fingerprint(writable)
    for name in queries.names():
        run_with(writable, name, value)
    assert fingerprint(writable) == before
    assert run(writable, "area", area=value).empty


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text())
def test_any_text_as_area_finds_nothing_and_breaks_nothing(writable, value):
    assume(value not in known_codes(writable))
    before = fingerprint(writable)
    for name in [name for name in queries.names() if parameters(name) == ["area"]]:
        found = run(writable, name, area=value)
        assert "persons" not in found or found["persons"].eq(0).all(), name
    assert run(writable, "area", area=value).empty
    assert fingerprint(writable) == before


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text())
def test_the_core_views_take_any_text_as_an_area(writable, value):
    assume(value not in known_codes(writable))
    for view in (
        indicators.pyramid,
        indicators.education_by_sex,
        indicators.education_by_age,
        indicators.education_by_child_area,
        indicators.area_indicators,
    ):
        assert view(writable, value)["persons"].eq(0).all()
    with pytest.raises(KeyError, match="unknown area code"):
        indicators.area(writable, value)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(on=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_any_date_is_answered(writable, on):
    for name in [name for name in queries.names() if "date" in parameters(name)]:
        run(writable, name, area="99.01", date=on)
    try:
        indicators.online_pace(run(writable, "online_trend", area="99.01"), on, indicators.deadline_on(writable, on))
    except ValueError as error:
        assert "no SP Online progress" in str(error)


# ---------------------------------------------------------------- every page, with any URL

DASHBOARD = str(PROJECT / "dashboard.py")
PAGES = [script for script, _, _ in ui.PAGES]
AREA_NAMES = ["Kota Kupang", "Kota Lama", "Alak", "Airmata", "Namosain", "53.71.06", "53.71.06.1001"]


def parameter(valid: list[str]):
    """A URL value: absent, valid, hostile, or any text."""
    return st.one_of(st.none(), st.sampled_from(valid), st.sampled_from(HOSTILE[:-2]), st.text(max_size=40))


URL_PARAMETERS = st.fixed_dictionaries(
    {
        "lang": parameter(["id", "en", "ID", "EN"]),
        "kabkota": parameter(AREA_NAMES),
        "kecamatan": parameter(AREA_NAMES),
        "kelurahan": parameter(AREA_NAMES),
        "tanggal": st.one_of(
            parameter(["2020-03-02", "2020-05-29", "1999-01-01", "2020-02-30"]), st.dates().map(date.isoformat)
        ),
        "ukuran": parameter(["persons", "share"]),
        "bandingkan": parameter(["53.71.06", "53.71.06.1001", "53.71.01"]),
        "slide": st.one_of(parameter(["title", "pyramid", "sources"]), st.integers(-3, 30).map(str)),
        "peta": parameter(["persons", "sex_ratio"]),
    }
).map(lambda values: {key: value for key, value in values.items() if value is not None})


@pytest.fixture
def served_sample(sample_db, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(sample_db))
    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()


@pytest.mark.parametrize("page", PAGES)
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=URL_PARAMETERS)
def test_no_url_makes_a_page_show_an_exception(served_sample, page, url):
    app = AppTest.from_file(DASHBOARD, default_timeout=120)
    app.query_params.update(url)
    app.run()
    app.switch_page(page).run()
    assert [error.value for error in app.exception] == []


@pytest.fixture(scope="module")
def live_dashboard(sample_db, tmp_path_factory):
    """The dashboard served on loopback, for widget changes as the browser sends them (AppTest
    cannot change a widget kept in the URL: the URL it sends back sets the widget again)."""
    port, log = free_port(), tmp_path_factory.mktemp("served") / "server.log"
    server = start_server(sample_db, port, log)
    yield f"ws://127.0.0.1:{port}/_stcore/stream"
    stop_server(server)


async def take_steps(url: str, query_string: str, steps: list[tuple[str, int]]) -> list[str]:
    """A fresh session takes `steps`; what it did, with each exception a run showed."""
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as connection:
        session = load_test.Session(connection, query_string)
        _, shown = await session.rerun()
        done = [f"first run: {exception}" for exception in shown]
        for kind, which in steps:
            action, _, shown = await session.step(kind, which)
            done += [f"{action}: {exception}" for exception in shown]
        return done


@settings(max_examples=20, deadline=None, derandomize=True)
@given(
    query_string=st.sampled_from(["", "kecamatan=Kota+Lama", "kecamatan=Alak&kelurahan=Namosain&lang=en"]),
    steps=st.lists(
        st.tuples(st.sampled_from(["page", "select", "language", "button"]), st.integers(0, 999)),
        min_size=1,
        max_size=6,
    ),
)
def test_no_sequence_of_widget_changes_shows_an_exception(live_dashboard, query_string, steps):
    assert asyncio.run(take_steps(live_dashboard, query_string, steps)) == []
