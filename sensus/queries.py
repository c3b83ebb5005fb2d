"""Named SQL queries: one file per question in queries/, run by name with bound parameters."""

from __future__ import annotations

from functools import cache

import duckdb
import pandas as pd

from sensus.store import PROJECT_DIR

QUERY_DIR = PROJECT_DIR / "queries"


@cache
def sql(name: str) -> str:
    """The text of queries/<name>.sql; only a name listed there is read, never a path."""
    if name not in names():
        raise KeyError(f"no query named {name!r} in {QUERY_DIR}")
    return (QUERY_DIR / f"{name}.sql").read_text()


def names() -> list[str]:
    return sorted(path.stem for path in QUERY_DIR.glob("*.sql"))


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql on its own cursor, with `params` bound to its $parameters."""
    with con.cursor() as cursor:
        return cursor.execute(sql(name), params).df()
