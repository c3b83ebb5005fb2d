"""Period columns (tahun, semester, periode, bulan): published tables repeat every area for each year or
semester. A population file keeps every period it holds, each row's period given to it as a column of its
own; `--period 2024-1` (tahun 2024, semester 1) reads that period's rows alone, or names the period of a file
without period columns (else a year in the file's name or title names it). Other kinds keep one period: a
file of several is refused with one problem naming them, unless one is chosen. A period is its columns'
values joined by "-", the year first, so that periods sort in time order."""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from sensus.ingest.checks import Columns, header_key, text_macro
from sensus.ingest.problems import Problem
from sensus.ingest.readers import Source

PERIOD_HEADERS = ("tahun", "year", "periode", "period", "semester", "triwulan", "quarter", "bulan", "month")
SHOWN_PERIODS = 8
YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9]{2})(?![0-9])")


@dataclass(frozen=True)
class Periods:
    """The periods read (in time order), the headers of the file's period columns, and the column of
    `source` that gives each row's period (None when the kind keeps one period)."""

    read: tuple[str, ...]
    columns: tuple[str, ...] = ()
    column: int | None = None


def period_key(text: str) -> str:
    """A period as compared: lower case, runs of other characters as one "-" ("2024 / 1" is "2024-1")."""
    return re.sub(r"[^0-9a-z]+", "-", text.strip().lower()).strip("-")


def named_year(*texts: str) -> str | None:
    """The one year named in these texts (a file name, a table's title), if exactly one is."""
    years = {year for text in texts for year in YEAR.findall(text)}
    return years.pop() if len(years) == 1 else None


def choose(con: duckdb.DuckDBPyConnection, source: Source, wanted: str | None, every: bool = False) -> Periods:
    """Keep in `source` the rows of period `wanted` (all of them when `every` and none is wanted) and, when
    `every`, add the column of each row's period. Problems (several periods where one is kept, a `wanted`
    the file does not hold) go into source.problems."""
    keys = [header_key(header) for header in source.headers]
    positions = sorted(
        (index for index, key in enumerate(keys) if key in PERIOD_HEADERS and keys.index(key) == index),
        key=lambda index: PERIOD_HEADERS.index(keys[index]),
    )
    labels = tuple(Columns(source, {}, {}).column_label(index) for index in positions)
    if not positions:
        if not every:
            if wanted is not None:
                source.problems.append(Problem(source.name, None, None, None, "period_no_columns", {"period": wanted}))
            return Periods(())
        period = period_key(wanted) if wanted else named_year(source.name, getattr(source, "title", "") or "")
        any_cell = " or ".join(f"c{index} is not null" for index in range(len(source.headers)))
        add_period_column(con, source, f"if({any_cell}, $period, null)", {"period": period or ""}, "periode")
        return Periods((period or "",), column=len(source.headers) - 1)
    parts = ", ".join(f"{text_macro(source.types[index])}(c{index})" for index in positions)
    period_of_row = f"nullif(concat_ws('-', {parts}), '')"
    periods = [
        period
        for (period,) in con.execute(f"select distinct {period_of_row} as p from source where p is not null").fetchall()
    ]
    periods.sort(key=period_key)
    chosen = next((period for period in periods if period_key(period) == period_key(wanted or "")), None)
    columns = ", ".join(labels)
    if wanted is None and len(periods) > 1 and not every:
        shown = periods if len(periods) <= SHOWN_PERIODS else [*periods[:3], "...", *periods[-3:]]
        values = {"count": len(periods), "periods": ", ".join(shown), "example": periods[-1]}
        source.problems.append(Problem(source.name, 1, columns, None, "periods", values))
    elif wanted is not None and chosen is None:
        values = {"periods": ", ".join(periods)}
        source.problems.append(Problem(source.name, 1, columns, wanted, "period_unknown", values))
    if chosen is not None:
        keep_rows(con, source, f"{period_of_row} = $period or {period_of_row} is null", {"period": chosen})
        periods = [chosen]
    if not every:
        return Periods(tuple(periods[:1]) if len(periods) == 1 else (), labels)
    key_of_row = f"trim(lower(regexp_replace({period_of_row}, '[^0-9A-Za-z]+', '-', 'g')), '-')"
    add_period_column(con, source, key_of_row, {}, columns)
    return Periods(tuple(period_key(period) for period in periods), labels, len(source.headers) - 1)


def add_period_column(
    con: duckdb.DuckDBPyConnection, source: Source, expression: str, parameters: dict, header: str
) -> None:
    """Give `source` a last column, headed `header`: each row's period, the value of `expression`."""
    replace_source(con, f"select *, {expression} as c{len(source.headers)} from source", parameters)
    source.headers.append(header)
    source.types.append("VARCHAR")


def keep_rows(con: duckdb.DuckDBPyConnection, source: Source, condition: str, parameters: dict) -> None:
    replace_source(con, f"select * from source where {condition}", parameters)
    source.rows = con.execute("select count(*) from source").fetchone()[0]


def replace_source(con: duckdb.DuckDBPyConnection, select: str, parameters: dict) -> None:
    """Make `select` (which reads `source`) the new `source`."""
    con.execute(f"create or replace temp table source_next as {select}", parameters)
    kind = con.execute("select table_type from information_schema.tables where table_name = 'source'").fetchone()[0]
    con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} source")
    con.execute("alter table source_next rename to source")
