"""Period columns (tahun, semester, periode, bulan): published tables repeat every area for each year or
semester. The store keeps one period at a time, so a file holding several is refused with one problem
naming its periods, unless one is chosen (`--period 2024-1`: tahun 2024, semester 1); then only that
period's rows are read. A period is its columns' values joined by "-", the year first."""

from __future__ import annotations

import re

import duckdb

from sensus.ingest.checks import Columns, header_key, text_macro
from sensus.ingest.problems import Problem
from sensus.ingest.readers import Source

PERIOD_HEADERS = ("tahun", "year", "periode", "period", "semester", "triwulan", "quarter", "bulan", "month")
SHOWN_PERIODS = 8


def period_key(text: str) -> str:
    """A period as compared: lower case, runs of other characters as one "-" ("2024 / 1" is "2024-1")."""
    return re.sub(r"[^0-9a-z]+", "-", text.strip().lower()).strip("-")


def choose(con: duckdb.DuckDBPyConnection, source: Source, wanted: str | None) -> tuple[str | None, tuple[str, ...]]:
    """Keep in `source` the rows of period `wanted`; return the period read (None when the file has no period
    columns) and the labels of the period columns. A file of several periods without `wanted`, or a `wanted`
    the file does not hold, gets a problem in source.problems."""
    keys = [header_key(header) for header in source.headers]
    positions = sorted(
        (index for index, key in enumerate(keys) if key in PERIOD_HEADERS and keys.index(key) == index),
        key=lambda index: PERIOD_HEADERS.index(keys[index]),
    )
    labels = tuple(Columns(source, {}, {}).column_label(index) for index in positions)
    columns = ", ".join(labels)
    if not positions:
        if wanted is not None:
            source.problems.append(Problem(source.name, None, None, None, "period_no_columns", {"period": wanted}))
        return None, ()
    parts = ", ".join(f"{text_macro(source.types[index])}(c{index})" for index in positions)
    con.execute(
        f"create temp table period_rows as select nullif(concat_ws('-', {parts}), '') as _period, * from source"
    )
    periods = [
        period
        for (period,) in con.execute(
            "select distinct _period from period_rows where _period is not null order by _period"
        ).fetchall()
    ]
    chosen = next((period for period in periods if period_key(period) == period_key(wanted or "")), None)
    if wanted is None and len(periods) > 1:
        shown = periods if len(periods) <= SHOWN_PERIODS else [*periods[:3], "...", *periods[-3:]]
        values = {"count": len(periods), "periods": ", ".join(shown), "example": periods[-1]}
        source.problems.append(Problem(source.name, 1, columns, None, "periods", values))
    elif wanted is not None and chosen is None:
        values = {"periods": ", ".join(periods)}
        source.problems.append(Problem(source.name, 1, columns, wanted, "period_unknown", values))
    if chosen is None:
        return (periods[0] if len(periods) == 1 else None), labels
    kind = con.execute("select table_type from information_schema.tables where table_name = 'source'").fetchone()[0]
    con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} source")
    con.execute(
        "create temp table source as select * exclude (_period) from period_rows "
        "where _period = $period or _period is null",
        {"period": chosen},
    )
    source.rows = con.execute("select count(*) from source").fetchone()[0]
    return chosen, labels
