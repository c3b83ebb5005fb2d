"""Disclosure control of the population counts: the cell-key method, computed once per store at load.

Census answers are confidential by law (UU 16/1997 Pasal 21) and only aggregates are published; yet
a count of one to four persons in a small area says too much about them, and so does any count a
reader can work out from the tables published beside it (a kecamatan's table minus its other
kelurahan's, a pyramid's margin minus the education table's). So every count the dashboard
publishes below kecamatan level is built from protected cells, one linked system for all tables:

- the cells of a kelurahan are its counts by dataset, period, sex, five-year age group and
  education (as far as the dataset has them); each gets a cell key in [0, 1) from a keyed hash of
  its identity with a secret seed kept in the store (never shown), so the same cell always reads
  the same, in every table, page, download, deck and briefing;
- the perturbation table (`perturbation_table`) turns a cell's count and key into the count
  published: counts of 1 to k-1 become 0 or k (k with probability count/k), larger counts move
  by at most `MAX_CHANGE`, and a result from 1 to k-1 becomes 0 or k the same way; zeros stay
  zeros. Every count keeps its expected value, and no count from 1 to k-1 is ever published;
- every table of a kelurahan, kecamatan or kota sums protected kelurahan cells, so tables agree
  with one another and a difference of published tables is a difference of protected cells;
  only whole-area totals of kecamatan and above are exact (population_coverage), and data
  published at kecamatan level or above are exact as loaded.

store.refresh_rollups computes the protected cells (rollups.sql) after every load; serving only
reads them (queries/macros.sql). k is SENSUS_MIN_CELL (default 5) when the store is loaded;
SENSUS_PROTECTION=off reads the exact counts instead, for internal use.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

import duckdb
import pandas as pd

import queries
from sensus.i18n import t

DEFAULT_MIN_CELL = 5
MAX_CHANGE = 2  # the most a count of k or more moves, before small results are rounded to 0 or k
WHOLE_AREA_LEVELS = ("nation", "province", "regency", "district")  # kecamatan and above


@dataclass(frozen=True)
class Protection:
    enabled: bool
    min_cell: int


def protection() -> Protection:
    """The protection in force, from the environment."""
    raw = os.environ.get("SENSUS_MIN_CELL", "").strip() or str(DEFAULT_MIN_CELL)
    if not raw.isdigit() or int(raw) < 2:
        raise ValueError(f"SENSUS_MIN_CELL must be a whole number of at least 2, got {raw!r}")
    return Protection(enabled=not queries.exact_counts(), min_cell=int(raw))


def is_small_area(level: str | None) -> bool:
    """Whether counts that describe an area of this level are below kecamatan level (an unknown
    level is treated as small)."""
    return level not in WHOLE_AREA_LEVELS


def perturbation_table(min_cell: int, max_change: int = MAX_CHANGE) -> pd.DataFrame:
    """The perturbation table: for each count (`value`; the last row, min_cell + max_change, stands
    for every count from there up), the cell keys in [key_from, key_to) that publish it moved by
    `change`. A count of min_cell or more first moves by -max_change..max_change with weights
    max_change + 1 - |change| (a triangle, so most move little); a count, or a moved count, from 1
    to min_cell-1 then becomes min_cell with probability count/min_cell, else 0. The key's
    position within a move's range draws the rounding, so one key drives both."""
    moves = range(-max_change, max_change + 1)
    weights = [max_change + 1 - abs(move) for move in moves]
    rows = []
    for value in range(min_cell + max_change + 1):
        steps = zip(moves, weights) if value >= min_cell else [(0, 1)]
        for move, weight in steps:
            width, moved = weight / (sum(weights) if value >= min_cell else 1), value + move
            if 1 <= moved < min_cell:
                up = width * moved / min_cell
                rows += [(value, up, min_cell - value), (value, width - up, -value)]
            else:
                rows.append((value, width, move))
    table = pd.DataFrame(rows, columns=["value", "width", "change"])
    table["key_to"] = table.groupby("value")["width"].cumsum()
    table["key_from"] = table.groupby("value")["key_to"].shift(fill_value=0.0)
    table.loc[table.groupby("value").cumcount(ascending=False) == 0, "key_to"] = 1.0  # no gap from rounding
    return table[["value", "key_from", "key_to", "change"]]


def keep_settings(con: duckdb.DuckDBPyConnection) -> None:
    """Write the protection's settings to a store being loaded: its secret seed (made once per
    store, kept across loads so that a cell reads the same after every load), k and the
    perturbation table."""
    settings = protection()
    con.execute(
        """
        create table if not exists protection_settings (seed varchar not null, min_cell integer, max_change integer)
        """
    )
    if not con.execute("select count(*) from protection_settings").fetchone()[0]:
        con.execute("insert into protection_settings (seed) values (?)", [secrets.token_hex(32)])
    con.execute("update protection_settings set min_cell = ?, max_change = ?", [settings.min_cell, MAX_CHANGE])
    table = perturbation_table(settings.min_cell)
    with con.cursor() as cursor:
        cursor.register("ptable", table)
        cursor.execute("create or replace table perturbation_table as select * from ptable")


def published(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of population counts, marked with the protection they were read under (see note)."""
    frame.attrs["protection"] = protection()
    return frame


def mode_label(lang: str) -> str:
    """One line for the page footer: whether protection is on, and what it does."""
    settings = protection()
    if not settings.enabled:
        return t("privacy.off", lang)
    return t("privacy.on", lang, top=settings.min_cell - 1, k=settings.min_cell)


def note(frame: pd.DataFrame, lang: str) -> str | None:
    """A plain-language note under a table of protected counts, or None when it is not one."""
    settings = frame.attrs.get("protection")
    if settings is None or not settings.enabled:
        return None
    return t("privacy.note", lang, top=settings.min_cell - 1, k=settings.min_cell, change=MAX_CHANGE)


def stored(con: duckdb.DuckDBPyConnection) -> dict:
    """The protection a store was loaded with: min_cell (k), max_change and its perturbation table
    (never the seed)."""
    min_cell, max_change = con.execute("select min_cell, max_change from protection_settings").fetchone()
    table = con.execute("select * from perturbation_table order by value, key_from").df()
    return {"min_cell": min_cell, "max_change": max_change, "table": table}


def utility(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """What the protection changes, per area level: the protected cells of that level (of each area
    its counts by dataset, period, sex, age group and education), those whose count moved, those
    from 1 to k-1 (all published as 0 or k), the persons moved (the sum of |published - exact|),
    and the exact persons, summed over the latest period of each dataset."""
    return queries.run(con, "protection_utility")
