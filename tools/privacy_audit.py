"""An attacker's audit of the disclosure control: python -m tools.privacy_audit [--db PATH] [--workers N]

It collects every count the dashboard publishes about every area of a store, through the core
functions the pages, downloads, deck and briefing call (sensus.indicators): the population pyramid
(age group x sex) and its broad age groups, education by sex, education by age group, education
across the child areas, and the headline counts of an area with its parent and children, each from
the dataset and period the pages pick for it.

Then it plays an attacker stronger than any reader: one handed the published value of every
protected cell (sensus.privacy: a kelurahan's count by dataset, period, sex, age group and
education) and the perturbation table. A published count is either exact (a whole-area total of
kecamatan and above, or data loaded at kecamatan level or above) or the sum of its published cells,
which the model checks against the store. So the attacker's unknowns are the true cells, each
within the counts the perturbation table could have published as its published value, bound
together by the exact counts across the area hierarchy and the datasets; linear programming (HiGHS)
bounds every published count of an area below kecamatan level whose true value is from 1 to k-1
from below and above, rounded inwards to whole persons.

Such a count is recovered exactly when its bounds meet, and narrowed below k when they are less than
k apart. A published count from 1 to k-1 of an area below kecamatan level is exposed as it stands.
With protection off (SENSUS_PROTECTION=off) every count is exact: the attack must find them all.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog

import queries
from queries import run
from sensus import indicators, privacy

TARGETS_PER_TASK = 64
TOLERANCE = 1e-6
WIDTH_EDGES = (0, 1, 2, 3, 4, 5, 10, 50, 100)
FIGURES = ("cells", "small", "exposed", "exact", "below_k")
HEADLINE_NEEDS = {"persons": [], "male": ["sex"], "female": ["sex"], "with_education": ["education"]}


# ---------------------------------------------------------------- the attack


def bounds(
    exact: pd.DataFrame, targets: Iterable[tuple[int, ...]], lower: np.ndarray, upper: np.ndarray, workers: int = 1
) -> pd.DataFrame:
    """What an attacker learns of the `targets` (each a tuple of cells, numbered from 0, whose sum is
    wanted) from the `exact` sums (cells, value) and each cell's range [lower, upper]. Returns each
    distinct target (cells) with its least and greatest value in whole numbers (lower, upper) and
    width = upper - lower."""
    exact = exact.drop_duplicates("cells")
    lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    targets = pd.DataFrame({"cells": list(dict.fromkeys(targets))})
    equal, wanted = incidence(exact["cells"], len(lower)), incidence(targets["cells"], len(lower))
    values = exact["value"].to_numpy(dtype=float)
    linked = sparse.vstack([equal, wanted]).tocsr()  # a target's cells are solved together
    _, block_of = sparse.csgraph.connected_components(sparse.bmat([[None, linked], [linked.T, None]]))
    row_block, cell_block = block_of[: equal.shape[0]], block_of[linked.shape[0] :]
    target_block = block_of[equal.shape[0] : linked.shape[0]]
    jobs, rows = [], []
    for block in np.unique(target_block):
        cells = np.flatnonzero(cell_block == block)
        chosen = np.flatnonzero(target_block == block)
        system = (equal[row_block == block][:, cells], values[row_block == block], lower[cells], upper[cells])
        for start in range(0, len(chosen), TARGETS_PER_TASK):
            at = chosen[start : start + TARGETS_PER_TASK]
            jobs.append((*system, wanted[at][:, cells]))
            rows.append(at)
    ranges = np.full((len(targets), 2), np.nan)
    for at, found in zip(rows, _map(_solve, jobs, workers)):
        ranges[at] = found
    return targets.assign(lower=ranges[:, 0], upper=ranges[:, 1], width=ranges[:, 1] - ranges[:, 0])


def incidence(sums: Iterable[tuple[int, ...]], size: int) -> sparse.csr_matrix:
    """One row per sum, with a 1 in the column of each cell it adds up."""
    columns = [np.asarray(cells, dtype=np.int64) for cells in sums]
    indptr = np.concatenate([[0], np.cumsum([len(cells) for cells in columns])])
    indices = np.concatenate(columns) if columns else np.array([], dtype=np.int64)
    return sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(columns), size))


def _map(function, jobs: list, workers: int) -> Iterator:
    if workers <= 1 or len(jobs) <= 1:
        return map(function, jobs)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return iter(list(pool.map(function, jobs)))


def _solve(job: tuple) -> np.ndarray:
    """The least and greatest value of the chosen sums of one block, in whole numbers. A block bound
    by one exact sum is worked out directly; more take linear programming."""
    a_eq, b_eq, low, high, wanted = job
    found = []
    for row in wanted:
        objective = row.toarray().ravel()
        if a_eq.shape[0] <= 1:
            least, most = _one_sum(objective, a_eq.toarray().ravel() if a_eq.shape[0] else None, b_eq, low, high)
        else:
            least, most = (
                sign * linprog(sign * objective, A_eq=a_eq, b_eq=b_eq, bounds=np.c_[low, high], method="highs").fun
                for sign in (1, -1)
            )
        found.append((math.ceil(least - TOLERANCE), math.floor(most + TOLERANCE)))
    return np.array(found, dtype=float)


def _one_sum(objective: np.ndarray, equation: np.ndarray | None, total, low: np.ndarray, high: np.ndarray):
    """The least and greatest sum of the cells in `objective`, each within [low, high], when the cells
    in `equation` (if any) add up to `total`: the cells outside it move freely; those inside give
    at most what the others of the equation leave."""
    outside = objective if equation is None else objective * (1 - equation)
    least, most = outside @ low, outside @ high
    if equation is not None:
        inside, rest = objective * equation, (1 - objective) * equation
        least += max(inside @ low, total[0] - rest @ high)
        most += min(inside @ high, total[0] - rest @ low)
    return least, most


def preimages(table: pd.DataFrame, published: Iterable[int]) -> dict[int, tuple[int, int]]:
    """For each published count, the least and greatest true count the perturbation table could have
    published as it (the table's last row stands for every count from its value up)."""
    top = int(table["value"].max())
    outputs = table.assign(output=table["value"] + table["change"]).groupby("value")["output"].agg(set)
    found = {}
    for value in set(published):
        sources = [source for source in range(top) if value in outputs[source]]
        sources += [
            value - change for change in set(table.loc[table["value"] == top, "change"]) if value - change >= top
        ]
        found[value] = (min(sources), max(sources))
    return found


# ---------------------------------------------------------------- the cells and the published counts


def leaf_cells(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The cells the published counts add up, one row each: the protected cells (published: their
    published value) and the counts loaded at kecamatan level or above by age group (exact: published
    as they are); persons is the true count, protected whether it is a protected cell."""
    return con.execute(
        """
        select dataset_id, period, area_code, sex, age_from, education, persons, published, true as protected
        from protected_cells
        union all
        select pop.dataset_id, pop.period, pop.area_code, pop.sex, grp.lower, pop.education,
            sum(pop.persons), sum(pop.persons), false
        from population as pop
        join areas
            on areas.code = pop.area_code
        left join age_groups as grp
            on pop.age_from between grp.lower and coalesce(grp.upper, 32767)
        where areas.level in ('nation', 'province', 'regency', 'district')
        group by all
        """
    ).df()


class Leaves:
    """The leaf cells, found by dataset, period, area (any ancestor of theirs) and what they count."""

    def __init__(self, con: duckdb.DuckDBPyConnection, cells: pd.DataFrame):
        self.cells = cells
        ancestors = con.execute("select code, ancestor_code from area_ancestors").df()
        owners = cells[["area_code"]].reset_index().merge(ancestors, left_on="area_code", right_on="code")
        self.under = {
            key: group["index"].to_numpy()
            for key, group in owners.merge(cells[["dataset_id", "period"]], left_on="index", right_index=True).groupby(
                ["dataset_id", "period", "ancestor_code"]
            )
        }
        self.columns = {column: cells[column].to_numpy() for column in ("sex", "age_from", "education")}

    def ages(self, low: int, high: int | None) -> list[int]:
        """The age groups (by their lower bounds) from low to high (None: no end)."""
        lowers = pd.unique(self.cells["age_from"].dropna())
        return [int(lower) for lower in lowers if low <= lower <= (math.inf if high is None else high)]

    def find(self, dataset: int, period: str, area: str, *, sex=None, ages=None, educations=None, educated=False):
        """The cells of the dataset and period under the area: of this sex, age groups (by their lower
        bounds) and educations (None is any; educated: any education, i.e. persons aged 5 and over)."""
        at = self.under.get((dataset, period, area), np.array([], dtype=np.int64))
        keep = np.ones(len(at), dtype=bool)
        if sex is not None:
            keep &= self.columns["sex"][at] == sex
        if ages is not None:
            keep &= np.isin(self.columns["age_from"][at], ages)
        if educations is not None:
            keep &= np.isin(self.columns["education"][at], educations)
        if educated:
            keep &= ~pd.isna(self.columns["education"][at])
        return tuple(at[keep].tolist())


def areas_by_level(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every area as the area filter walks them (from the top-level ones down), with its level."""
    levels, pending = {}, [None]
    while pending:
        found = run(con, "child_areas", area=pending.pop())
        levels.update(zip(found["code"], found["level"]))
        pending.extend(found["code"])
    return levels


def chosen_data(con: duckdb.DuckDBPyConnection, codes: list[str], needs: list[str], period: str | None) -> dict:
    """The dataset and period the pages read for each area's counts that need these dimensions."""
    with con.cursor() as cursor:
        cursor.execute("set variable exact_counts = ?", [queries.exact_counts()])
        cursor.execute(queries.macros())
        found = cursor.execute("select * from population_total_of(?, ?, ?)", [codes, period, needs]).df()
    return {row.area_code: (row.dataset_id, row.period) for row in found.itertuples()}


def published_counts(
    con: duckdb.DuckDBPyConnection, levels: dict[str, str], leaves: Leaves, period: str | None = None
) -> pd.DataFrame:
    """Every count published about every area, one row each: kind (the table), page (the area whose
    page shows it), area (the area it describes), cell, cells (the leaf cells it adds up), value and
    whole (a whole-area total, published exact at kecamatan level and above)."""
    codes = list(levels)
    data = {tuple(needs): chosen_data(con, codes, needs, period) for needs in (*HEADLINE_NEEDS.values(), ["age"])}
    higher = con.execute("select list(code) from education_levels where higher").fetchone()[0]
    rows = []
    for page in codes:
        rows += _page_counts(con, leaves, data, higher, page, period)
    return pd.DataFrame(rows, columns=["kind", "page", "area", "cell", "cells", "value", "whole"])


def _page_counts(con, leaves: Leaves, data: dict, higher: list[int], page: str, period) -> Iterator[tuple]:
    pyramid = indicators.pyramid(con, page, period)
    if pyramid["dataset_id"].notna().any():
        of_pyramid = (int(pyramid["dataset_id"].iloc[0]), pyramid["period"].iloc[0])
        by_sex = pyramid["sex"].notna().all()
        for row in pyramid.itertuples():
            cells = leaves.find(*of_pyramid, page, ages=[row.lower], sex=row.sex if by_sex else None)
            yield "pyramid", page, page, f"{row.age_group} sex {row.sex}", cells, row.persons, False
        broad_ages = {name: leaves.ages(low, high) for name, low, high in indicators.BROAD_AGE_GROUPS}
        for row in indicators.broad_age_groups(pyramid).itertuples():
            ages = broad_ages[row.age_group]
            for sex, column in ((1, "male"), (2, "female"), (None, "persons")):
                if not pd.isna(getattr(row, column)):
                    cells = leaves.find(*of_pyramid, page, ages=ages, sex=sex)
                    yield (
                        "broad_age_groups",
                        page,
                        page,
                        f"{row.age_group} {column}",
                        cells,
                        getattr(row, column),
                        False,
                    )
    for kind, keys in (("education_by_sex", ("sex",)), ("education_by_age", ("lower",))):
        table = getattr(indicators, kind)(con, page, period)
        if table["dataset_id"].isna().all():
            continue
        of_table = (int(table["dataset_id"].iloc[0]), table["period"].iloc[0])
        for row in table.itertuples():
            pattern = {"sex": row.sex} if keys == ("sex",) else {"ages": [row.lower]}
            cells = leaves.find(*of_table, page, educations=[row.education], **pattern)
            yield (
                kind,
                page,
                page,
                f"{keys[0]} {getattr(row, keys[0])} education {row.education}",
                cells,
                row.persons,
                False,
            )
    for row in indicators.education_by_child_area(con, page, period).itertuples():
        if row.code in data[("education",)]:
            cells = leaves.find(*data[("education",)][row.code], row.code, educations=[row.education])
            yield "education_by_child_area", page, row.code, f"education {row.education}", cells, row.persons, False
    table = indicators.area_indicators(con, page, period)
    headline = {
        "persons": ((), {}),
        "male": (("sex",), {"sex": 1}),
        "female": (("sex",), {"sex": 2}),
        **{
            column: (("age",), {"ages": leaves.ages(low, high)})
            for column, (_, low, high) in zip(indicators.INDICATOR_BREAKDOWNS["age"][1], indicators.BROAD_AGE_GROUPS)
        },
        "with_education": (("education",), {"educated": True}),
        "higher_education": (("education",), {"educations": higher}),
    }
    for column, (needs, pattern) in headline.items():
        for code, value in zip(table["code"], table[column]):
            if pd.isna(value) or code not in data[needs]:
                continue
            cells = leaves.find(*data[needs][code], code, **pattern)
            yield "indicators", page, code, column, cells, value, column == "persons"


def related(con: duckdb.DuckDBPyConnection, code: str, other: str) -> bool:
    """Whether one of the two areas is the other or an ancestor of it."""
    found = "select count(*) from area_ancestors where (code, ancestor_code) in ((?, ?), (?, ?))"
    return con.execute(found, [code, other, other, code]).fetchone()[0] > 0


def implied(con: duckdb.DuckDBPyConnection, counts: pd.DataFrame) -> pd.Series:
    """Counts whose area's children all publish the same count (kind and cell): the sum of theirs, they
    add nothing, and left in they would join the children's blocks into one."""
    children = con.execute("select parent_code, list(code) from areas where parent_code is not null group by 1")
    children = dict(children.fetchall())
    published = set(zip(counts["area"], counts["kind"], counts["cell"]))
    return pd.Series(
        [
            bool(children.get(area)) and all((child, kind, cell) in published for child in children[area])
            for area, kind, cell in zip(counts["area"], counts["kind"], counts["cell"])
        ],
        index=counts.index,
    )


# ---------------------------------------------------------------- the audit


def audit(
    con: duckdb.DuckDBPyConnection, *, period: str | None = None, within: str | None = None, workers: int = 1
) -> dict:
    """The attack on every published count of the store, as the pages show them for `period` (the
    latest when None), under the protection in force; `within` an area, the pages of that area, its
    ancestors and its descendants only (the exact totals bind no wider). Returns a
    dict: `cells` (each published count of an area below kecamatan level: kind, page, area, level,
    cell, value, truth, lower, upper, width), `summary` (per kind and level: cells, small (truly
    from 1 to k-1), exposed (published from 1 to k-1), exact and below_k (small counts recovered
    exactly, or narrowed to a width from 1 to k-1)), `widths` (small counts per kind, level and
    width), `totals` (the figures over all), `min_cell` (k) and `seconds`."""
    started = time.perf_counter()
    settings = privacy.protection()
    min_cell = int(con.execute("select min_cell from protection_settings").fetchone()[0])
    levels = areas_by_level(con)
    leaves = Leaves(con, leaf_cells(con))
    pages = levels if within is None else {code: level for code, level in levels.items() if related(con, code, within)}
    counts = published_counts(con, pages, leaves, period)
    cells = leaves.cells
    shown = cells["published"] if settings.enabled else cells["persons"]
    counts["truth"] = incidence(counts["cells"], len(cells)) @ cells["persons"].to_numpy(dtype=float)
    counts["level"] = counts["area"].map(levels)
    exact = ~incidence(counts["cells"], len(cells)).dot(cells["protected"].to_numpy(dtype=float)).astype(bool)
    exact |= counts["whole"] & ~counts["level"].map(privacy.is_small_area)
    exact |= not settings.enabled
    expected = np.where(exact, counts["truth"], incidence(counts["cells"], len(cells)) @ shown.to_numpy(dtype=float))
    wrong = counts["value"].to_numpy(dtype=float) != expected
    if wrong.any():
        raise AssertionError(f"a published count is not what the model says: {counts[wrong].iloc[0].to_dict()}")
    if settings.enabled:
        table = con.execute("select * from perturbation_table").df()
        ranges = preimages(table, shown[cells["protected"]].astype(int))
        low = np.where(cells["protected"], shown.map(lambda value: ranges.get(value, (value, value))[0]), shown)
        high = np.where(cells["protected"], shown.map(lambda value: ranges.get(value, (value, value))[1]), shown)
    else:
        low = high = cells["persons"].to_numpy()
    counts = counts[counts["cells"].map(len) > 0]
    small_area = counts["level"].map(privacy.is_small_area)
    small = small_area & counts["truth"].between(1, min_cell - 1)
    equations = counts[exact[counts.index] & ~small_area & ~implied(con, counts)].drop_duplicates("cells")
    solved = bounds(equations[["cells", "value"]], counts.loc[small, "cells"], low, high, workers)
    result = counts[small_area].merge(solved, on="cells", how="left")
    if not result.loc[result["truth"].between(1, min_cell - 1)].eval("lower <= truth <= upper").all():
        raise AssertionError("a true count lies outside the bounds the attack found")
    flags = result.assign(
        cells=1,
        small=result["truth"].between(1, min_cell - 1),
        exposed=result["value"].between(1, min_cell - 1),
        exact=result["width"] == 0,
        below_k=result["width"].between(1, min_cell - 1),
    )
    summary = flags.groupby(["kind", "level"])[list(FIGURES)].sum().reset_index()
    edges = [*WIDTH_EDGES, math.inf]
    labels = [str(low) if high == low + 1 else f"{low}-{high - 1}" for low, high in zip(edges, edges[1:-1])]
    widths = (
        result[flags["small"]]
        .assign(
            width=lambda frame: pd.cut(
                frame["width"], [edge - 0.5 for edge in edges], labels=[*labels, f"{edges[-2]}+"]
            )
        )
        .groupby(["kind", "level", "width"], observed=True)
        .size()
        .unstack(fill_value=0)
    )
    columns = ["kind", "page", "area", "level", "cell", "value", "truth", "lower", "upper", "width"]
    return {
        "min_cell": min_cell,
        "cells": result[columns],
        "summary": summary,
        "widths": widths,
        "totals": {figure: int(flags[figure].sum()) for figure in FIGURES},
        "seconds": time.perf_counter() - started,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="the store (default: $SENSUS_DB, else the dashboard's own)")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes solving the linear programs (default: one a core)",
    )
    parser.add_argument("--period", help="the period the pages show (default: the latest)")
    args = parser.parse_args(argv)
    from sensus import store

    path = store.db_path(args.db)
    with store.connect(path) as con:
        result = audit(con, period=args.period, workers=args.workers)
    print(f"{path}: k = {result['min_cell']}, {privacy.mode_label('en')}, {result['seconds']:.0f} s")
    print(result["summary"].to_string(index=False))
    if not result["widths"].empty:
        print("\nSmall counts by the width of their bounds:")
        print(result["widths"].to_string())
    print("\nIn all: " + ", ".join(f"{figure} {value}" for figure, value in result["totals"].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
