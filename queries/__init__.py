"""Named SQL queries: one file per question in this folder, run by name with bound parameters.

The files install with the package, so the core finds them from any folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent


@cache
def sql(name: str) -> str:
    """The text of <name>.sql; only a name listed here is read, never a path."""
    if name not in names():
        raise KeyError(f"no query named {name!r} in {QUERY_DIR}")
    return (QUERY_DIR / f"{name}.sql").read_text()


def names() -> list[str]:
    return sorted(path.stem for path in QUERY_DIR.glob("*.sql"))


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run <name>.sql on its own cursor, with `params` bound to its $parameters. DATE columns hold
    datetime.date values (None where null), so that no caller has to type them again."""
    with con.cursor() as cursor:
        result = cursor.execute(sql(name), params)
        dates = [column for column, type_code, *_ in result.description if type_code == duckdb.sqltypes.DATE]
        frame = result.df()
    for column in dates:
        frame[column] = frame[column].dt.date.where(frame[column].notna(), None)
    return frame
