"""Small-cell protection: nothing the dashboard shows or exports can single out a person.

Census answers are confidential by law (UU 16/1997 Pasal 21) and only aggregates are published; yet
an aggregate of one to four persons in a small area says too much about them. So, in a
cross-tabulation of an area below kecamatan level:

- a count from 1 to k-1 is withheld (NaN, shown as "<5"; `suppressed` is true on its row);
- wherever a published total would let one recover a withheld count (a group with exactly one
  withheld cell), the next smallest non-zero cell of that group is withheld too, until every group
  of every dimension is stable;
- shares built on a withheld count are withheld; zeros stay zeros; totals of whole areas are exact.

k is SENSUS_MIN_CELL (default 5); SENSUS_PROTECTION=off turns protection off for internal use.
Every protected frame says what it withheld in `frame.attrs["withheld"]`, see `note()`; the
footer says which mode is on, see `mode_label()`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from sensus.i18n import t
from sensus.store import LEVELS

DEFAULT_MIN_CELL = 5
WHOLE_AREA_LEVELS = LEVELS[: LEVELS.index("district") + 1]  # kecamatan and above


@dataclass(frozen=True)
class Protection:
    enabled: bool
    min_cell: int


def protection() -> Protection:
    """The protection in force, from the environment."""
    enabled = os.environ.get("SENSUS_PROTECTION", "on").strip().lower() != "off"
    raw = os.environ.get("SENSUS_MIN_CELL", "").strip() or str(DEFAULT_MIN_CELL)
    if not raw.isdigit() or int(raw) < 2:
        raise ValueError(f"SENSUS_MIN_CELL must be a whole number of at least 2, got {raw!r}")
    return Protection(enabled=enabled, min_cell=int(raw))


def is_small_area(level: str | None) -> bool:
    """Whether counts that describe an area of this level are below kecamatan level (an unknown
    level is treated as small)."""
    return level not in WHOLE_AREA_LEVELS


def withheld_cells(cells: pd.DataFrame, count: str, groupings: list[list[str]], min_cell: int) -> pd.Series:
    """Which cells to withhold: counts from 1 to min_cell-1 and cells already missing (NaN), then,
    in every group of every grouping (a group has a published total), a second cell wherever a group
    has exactly one withheld: its smallest non-zero cell still shown; repeated until stable."""
    keyed = cells.reset_index(drop=True)
    values = keyed[count]
    withheld = values.isna() | ((values >= 1) & (values < min_cell))
    changed = True
    while changed:
        changed = False
        for keys in groupings:
            for rows in keyed.groupby(keys, dropna=False, sort=False).indices.values():
                if withheld.iloc[rows].sum() != 1:
                    continue
                candidates = values.iloc[rows][~withheld.iloc[rows] & (values.iloc[rows] > 0)]
                if not candidates.empty:
                    withheld.iloc[candidates.idxmin()] = True
                    changed = True
    return pd.Series(withheld.to_numpy(), index=cells.index)


def withheld_summary(*, protected: bool, min_cell: int, small: int = 0, second: int = 0) -> dict:
    """What a frame withheld: counts below min_cell, and second cells withheld beside them."""
    return {"protected": protected, "min_cell": min_cell, "cells": small + second, "small": small, "second": second}


def protect_table(
    frame: pd.DataFrame,
    *,
    count: str,
    groupings: list[list[str]],
    shares: tuple[str, ...] = (),
    group_shares: dict[str, list[str]] | None = None,
    small_area: bool,
) -> pd.DataFrame:
    """A cross-tabulation, one row per cell with its `count`, protected when it describes a small
    area. `groupings` lists the dimensions whose groups have a published total (each a list of
    columns); `shares` are per-cell shares withheld with their cell; `group_shares` maps a share
    built on a whole group of cells to that group's columns: it is withheld when any cell of the
    group is."""
    settings = protection()
    protected = settings.enabled and small_area
    result = frame.copy()
    if not protected or result.empty:
        result["suppressed"] = False
        result.attrs["withheld"] = withheld_summary(protected=protected, min_cell=settings.min_cell)
        return result
    small = (result[count] >= 1) & (result[count] < settings.min_cell)
    withheld = withheld_cells(result, count, groupings, settings.min_cell)
    result[count] = result[count].where(~withheld)
    for share in shares:
        result[share] = result[share].where(~withheld)
    for share, keys in (group_shares or {}).items():
        touched = withheld.groupby([result[key] for key in keys], dropna=False).transform("any")
        result[share] = result[share].where(~touched)
    result["suppressed"] = withheld
    result.attrs["withheld"] = withheld_summary(
        protected=True,
        min_cell=settings.min_cell,
        small=int(small.sum()),
        second=int((withheld & ~small).sum()),
    )
    return result


def protect_breakdowns(
    frame: pd.DataFrame,
    *,
    key: str,
    breakdowns: dict[str, tuple[str, list[str]]],
    small_rows: pd.Series,
) -> pd.DataFrame:
    """Counts in wide form, one row per area (`key`), protected on the rows marked in `small_rows`.
    Each breakdown names a total column and the part columns that split it (e.g. persons into male
    and female); what the parts leave of the total (persons under 5 beside those with an education)
    is a cell too, since subtraction recovers it. The rows are siblings: each part's column sums to
    the parent's published value, so a column is a group as well."""
    settings = protection()
    result = frame.copy()
    rows = result[small_rows.to_numpy() & settings.enabled]
    part_columns = [part for _, parts in breakdowns.values() for part in parts]
    result["suppressed"] = False
    if rows.empty:
        result.attrs["withheld"] = withheld_summary(protected=False, min_cell=settings.min_cell)
        return result
    cells = []
    for name, (total, parts) in breakdowns.items():
        shown = rows.melt(id_vars=key, value_vars=parts, var_name="measure", value_name="value")
        rest = pd.DataFrame({key: rows[key], "measure": f"{name}:rest", "value": rows[total] - rows[parts].sum(axis=1)})
        cells.append(pd.concat([shown, rest], ignore_index=True).assign(breakdown=name))
    cells = pd.concat(cells, ignore_index=True)
    withheld = withheld_cells(cells, "value", [[key, "breakdown"], ["measure"]], settings.min_cell)
    cells = cells.assign(withheld=withheld, small=(cells["value"] >= 1) & (cells["value"] < settings.min_cell))
    shown_cells = cells[cells["measure"].isin(part_columns)]
    wide = shown_cells.pivot(index=key, columns="measure", values="withheld")
    mask = result[[key]].join(wide, on=key)[part_columns].fillna(False).astype(bool)
    result[part_columns] = result[part_columns].where(~mask.to_numpy())
    result["suppressed"] = mask.any(axis=1).to_numpy()
    result.attrs["withheld"] = withheld_summary(
        protected=True,
        min_cell=settings.min_cell,
        small=int((shown_cells["withheld"] & shown_cells["small"]).sum()),
        second=int((shown_cells["withheld"] & ~shown_cells["small"]).sum()),
    )
    return result


def mode_label(lang: str) -> str:
    """One line for the page footer: whether protection is on, and what it does."""
    settings = protection()
    if not settings.enabled:
        return t("privacy.off", lang)
    return t("privacy.on", lang, top=settings.min_cell - 1, k=settings.min_cell)


def note(frame: pd.DataFrame, lang: str) -> str | None:
    """A plain-language note on what a protected frame withheld, or None when it withheld nothing."""
    withheld = frame.attrs.get("withheld") or {}
    if not withheld.get("cells"):
        return None
    reasons = [
        t(f"privacy.{reason}", lang, **withheld, k=withheld["min_cell"])
        for reason in ("small", "second")
        if withheld[reason]
    ]
    return f"{t('privacy.withheld', lang, **withheld)}: {', '.join(reasons)}; {t('privacy.rest', lang)}"
