"""A checked file ready to load, as each kind's `stage(con, source)` returns it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd


@dataclass(frozen=True)
class Staged:
    """`load` writes the file into the store copy as the dataset of the id given and returns the rows stored;
    `persons_read` is the persons the file holds (population only), counted before any rounding; a population
    file also tells its dimensions, its periods and how many of its totals rows were checked."""

    load: Callable[[duckdb.DuckDBPyConnection, int], int]
    rows_read: int
    persons_read: int | None
    ignored: tuple[str, ...]
    names_read: tuple[tuple[str, str, str], ...] = ()  # (name as given, name in the store, code) read by a name
    dimensions: tuple[str, ...] | None = None
    periods: tuple[str, ...] = ()
    totals_checked: int = 0
    repeated_rows: tuple[tuple[int, ...], ...] = ()  # rows that gave one cell more than once, added together


def replacing_rows(table: str, frame: pd.DataFrame) -> Callable[[duckdb.DuckDBPyConnection], int]:
    """A Staged.load that puts `frame`'s rows in place of all of `table`'s."""

    def load(copy: duckdb.DuckDBPyConnection, dataset_id: int) -> int:
        copy.execute(f"delete from {table}")
        copy.register("staged", frame)
        copy.execute(f"insert into {table} select * from staged")
        copy.unregister("staged")
        return len(frame)

    return load
