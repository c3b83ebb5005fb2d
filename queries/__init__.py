"""Named SQL queries: one file per question in this folder, run by name with bound parameters.

The files install with the package, so the core finds them from any folder."""

from __future__ import annotations

import os
import re
import weakref
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent
# Parameters a caller may leave out, and what that means: $period, the latest population period;
# $needs, population data by sex and age (the pyramid's).
DEFAULTS = {"period": None, "needs": ["sex", "age"]}
MACROS = "macros"  # macros.sql: the table macros of the queries, not a query
MACRO_CALLS = re.compile(r"\bpopulation_(?:total_)?of\(")
# Connections whose own catalog holds the macros (add_macros): every cursor of one sees them.
_CATALOGUED: weakref.WeakSet[duckdb.DuckDBPyConnection] = weakref.WeakSet()


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


def add_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the macros once in the catalog of `con` (writable: an in-memory database, as store.snapshot's),
    where every cursor of it sees them; otherwise each query calling one creates them on its cursor (3 ms)."""
    try:
        con.execute(macros(temporary=False))
    except duckdb.CatalogException:
        return  # a store without the tables they read (new or damaged): each query then says so itself
    _CATALOGUED.add(con)


def exact_counts() -> bool:
    """Whether population counts are read exact (SENSUS_PROTECTION=off, for internal use) rather than
    as published, protected (sensus/privacy.py)."""
    return os.environ.get("SENSUS_PROTECTION", "on").strip().lower() == "off"


def names() -> list[str]:
    return sorted(path.stem for path in QUERY_DIR.glob("*.sql") if path.stem != MACROS)


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run <name>.sql on its own cursor, with `params` bound to its $parameters (those of DEFAULTS it
    uses may be left out). DATE columns hold datetime.date values (None where null), so that no caller
    has to type them again."""
    text = sql(name)
    params = {**{key: value for key, value in DEFAULTS.items() if f"${key}" in text}, **params}
    with con.cursor() as cursor:
        cursor.execute("set variable exact_counts = ?", [exact_counts()])
        if MACRO_CALLS.search(text) and con not in _CATALOGUED:
            cursor.execute(macros())
        result = cursor.execute(text, params)
        dates = [column for column, type_code, *_ in result.description if type_code == duckdb.sqltypes.DATE]
        frame = result.df()
    for column in dates:
        frame[column] = frame[column].dt.date.where(frame[column].notna(), None)
    return frame
