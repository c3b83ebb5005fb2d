"""Hostile and random input: nothing from a URL or a widget ever becomes SQL text, and no exception
reaches the user of any page."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sensus import indicators, queries, store
from sensus.queries import run

PROJECT = Path(__file__).resolve().parent.parent
HOSTILE = [
    "'; drop table areas; --",
    "53.71' or '1'='1",
    "53.71\"; delete from population; --",
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


def python_sources() -> list[Path]:
    return sorted([*PROJECT.glob("sensus/**/*.py"), *PROJECT.glob("pages/*.py"), *PROJECT.glob("dashboard.py")])


def calls(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Call):
            yield node


def built_text(node: ast.expr) -> bool:
    """Whether an expression builds a string at run time: an f-string, + or %, .format() or .join()."""
    return (isinstance(node, ast.JoinedStr)
            or isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod))
            or isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("format", "join"))


def test_no_sql_text_is_built_from_values():
    checked, built = 0, []
    for path in python_sources():
        for call in calls(path):
            if isinstance(call.func, ast.Attribute) and call.func.attr in ("execute", "executemany", "sql", "query"):
                checked += 1
                if call.args and built_text(call.args[0]):
                    built.append(f"{path.relative_to(PROJECT)}:{call.lineno}")
    assert built == [] and checked > 10


def test_every_query_run_binds_its_values_and_names_a_query_file():
    checked, unbound, unknown = 0, [], []
    for path in python_sources():
        for call in calls(path):
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
            if name != "run" or len(call.args) < 2:
                continue
            checked += 1
            where = f"{path.relative_to(PROJECT)}:{call.lineno}"
            if len(call.args) != 2 or any(keyword.arg is None for keyword in call.keywords):
                unbound.append(where)
            query = call.args[1]
            if isinstance(query, ast.Constant) and query.value not in queries.names() or built_text(query):
                unknown.append(where)
    assert (unbound, unknown) == ([], []) and checked > 10


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
    """Run a query with `value` as every parameter; a value that is not a date where a date is
    expected is refused by DuckDB as a conversion error, which is not an injection."""
    try:
        run(con, name, **{parameter: value for parameter in parameters(name)})
    except (duckdb.ConversionException, duckdb.InvalidInputException) as error:
        assert "date" in str(error).lower(), error


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
    for view in (indicators.pyramid, indicators.education_by_sex, indicators.education_by_age,
                 indicators.education_by_child_area, indicators.area_indicators):
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
