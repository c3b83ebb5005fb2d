"""Named SQL queries: one file per question in this folder, run by name with bound parameters.

The files install with the package, so the core finds them from any folder."""

from __future__ import annotations

import os
import re
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

import duckdb
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent
# Parameters a caller may leave out, and what that means: $period, the latest population period;
# $needs, population data by sex and age (the pyramid's).
DEFAULTS = {"period": None, "needs": ["sex", "age"]}
MACROS = "macros"  # macros.sql: the table macros of the queries, not a query
MACRO_CALLS = re.compile(r"\bpopulation_(?:total_)?of\(")
ANSWERS_KEPT = 256  # per store version


@dataclass
class _Version:
    """A connection to one store version, which never changes (prepare): whether its catalog holds the
    macros, and the answers it gave, the most recently asked kept."""

    has_macros: bool
    answers: OrderedDict = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, question: tuple, ask) -> pd.DataFrame:
        with self.lock:
            if question in self.answers:
                self.answers.move_to_end(question)
                return self.answers[question]
        frame = ask()
        with self.lock:
            self.answers[question] = frame
            while len(self.answers) > ANSWERS_KEPT:
                self.answers.popitem(last=False)
        return frame


_VERSIONS: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, _Version] = weakref.WeakKeyDictionary()


@cache
def sql(name: str) -> str:
    """The text of <name>.sql; only a name listed here is read, never a path."""
    if name not in names():
        raise KeyError(f"no query named {name!r} in {QUERY_DIR}")
    return (QUERY_DIR / f"{name}.sql").read_text()


@cache
def macros(temporary: bool = True) -> str:
    """The statements creating the macros: as temporary macros, which only the cursor running them sees, or
    in the connection's own catalog."""
    text = (QUERY_DIR / f"{MACROS}.sql").read_text()
    return text.replace("create or replace macro", "create or replace temp macro") if temporary else text


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Ready `con`, a connection to one store version that never changes, with a writable catalog of its own
    (store.snapshot's), for the queries: the macros created once in its catalog, where every cursor of it
    sees them (else each query calling one creates them on its cursor, 3 ms), and its answers kept, so that
    the core functions that ask the same question (a page's headline counts, their comparisons, its map)
    have it run once."""
    try:
        con.execute(macros(temporary=False))
        has_macros = True
    except duckdb.CatalogException:  # a store without the tables they read (new or damaged)
        has_macros = False  # each query calling one then says so itself
    _VERSIONS[con] = _Version(has_macros)


def exact_counts() -> bool:
    """Whether population counts are read exact (SENSUS_PROTECTION=off, for internal use) rather than
    as published, protected (sensus/privacy.py)."""
    return os.environ.get("SENSUS_PROTECTION", "on").strip().lower() == "off"


def names() -> list[str]:
    return sorted(path.stem for path in QUERY_DIR.glob("*.sql") if path.stem != MACROS)


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """The answer of <name>.sql with `params` (see execute): on a prepared connection, the answer it already
    gave when it gave one, as a copy the caller may change; else executed now."""
    version = _VERSIONS.get(con)
    if version is None:
        return execute(con, name, **params)
    params = _bound(name, params)
    question = (name, exact_counts(), *sorted((key, _hashable(value)) for key, value in params.items()))
    return version.answer(question, partial(execute, con, name, **params)).copy()


def _bound(name: str, params: dict) -> dict:
    """`params` with the DEFAULTS of those the query uses that were left out."""
    text = sql(name)
    return {**{key: value for key, value in DEFAULTS.items() if f"${key}" in text}, **params}


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def execute(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run <name>.sql on its own cursor, with `params` bound to its $parameters (those of DEFAULTS it
    uses may be left out). DATE columns hold datetime.date values (None where null), so that no caller
    has to type them again."""
    text, params, version = sql(name), _bound(name, params), _VERSIONS.get(con)
    with con.cursor() as cursor:
        cursor.execute("set variable exact_counts = ?", [exact_counts()])
        if MACRO_CALLS.search(text) and not (version and version.has_macros):
            cursor.execute(macros())
        result = cursor.execute(text, params)
        dates = [column for column, type_code, *_ in result.description if type_code == duckdb.sqltypes.DATE]
        frame = result.df()
    for column in dates:
        frame[column] = frame[column].dt.date.where(frame[column].notna(), None)
    return frame
