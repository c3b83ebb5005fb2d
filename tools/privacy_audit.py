"""An attacker's audit of small-cell protection: python -m tools.privacy_audit [--db PATH] [--workers N]

It collects every count the dashboard publishes about every area of a store, through the core
functions the pages, downloads, deck and briefing call (sensus.indicators): the population pyramid
(age group x sex) and its broad age groups, education by sex, education by age group, education
across the child areas, and the headline counts of an area with its parent and children. A withheld
count is an unknown. Then it plays the attacker: every published count is a sum of cells of one
cube, leaf area x age group x sex x education (or none, below school age), so the tables bind one
another within a table, across the area hierarchy and across tables sharing margins. With the
cube's cells at least 0 and every withheld count at least 1, linear programming (HiGHS) bounds each
withheld count from below and above, rounded inwards to whole persons.

A withheld count is recovered exactly when its bounds meet, and narrowed below k when they are less
than k apart (k is the protection's threshold). A published count from 1 to k-1 of an area below
kecamatan level is exposed as it stands. The bounds are those of the linear relaxation: an attacker
who also uses whole numbers, the median age or the ranking of child areas can only do better
(shares and ratios are withheld with their counts and add nothing).

The store's persons check the model: every published count must equal the sum of its true cells,
and every withheld count lie within its bounds.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog

from queries import run
from sensus import indicators, privacy, store

SEXES = (1, 2)
NO_EDUCATION = None  # the last education of the cube: persons below school age
BROAD_COLUMNS = dict(zip(indicators.INDICATOR_BREAKDOWNS["age"][1], indicators.BROAD_AGE_GROUPS))
TARGETS_PER_TASK = 16
TOLERANCE = 1e-6
WIDTH_EDGES = (0, 1, 2, 3, 4, 5, 10, 50, 100)
FIGURES = ("cells", "withheld", "exact", "below_k", "exposed", "small", "small_exact", "small_below_k")


# ---------------------------------------------------------------- the attack


def bounds(sums: pd.DataFrame, workers: int = 1) -> pd.DataFrame:
    """What an attacker learns of the withheld sums. `sums` holds one published or withheld sum a row:
    `cells` (a tuple of the unknown cells it adds up, numbered from 0) and `value` (NaN when withheld).
    Every cell is at least 0 and every withheld sum at least 1. Returns each distinct withheld sum
    (cells) with its least and greatest value in whole numbers (lower, upper; upper is inf when
    nothing bounds it) and width = upper - lower."""
    published = sums[sums["value"].notna()]
    conflicting = published.groupby("cells")["value"].nunique()
    if (conflicting > 1).any():
        raise ValueError(f"cells {conflicting[conflicting > 1].index[0]} published with different values")
    published = published.drop_duplicates("cells")
    withheld = sums.loc[sums["value"].isna(), ["cells"]].drop_duplicates("cells").reset_index(drop=True)
    size = 1 + max((max(cells) for cells in sums["cells"] if cells), default=-1)
    equal, hidden = incidence(published["cells"], size), incidence(withheld["cells"], size)
    values = published["value"].to_numpy(dtype=float)
    # The cells of a published zero are zero: taken out before solving.
    free = np.asarray(equal[values == 0].sum(axis=0)).ravel() == 0
    equal, hidden = equal[:, free], hidden[:, free]
    everything = sparse.vstack([equal, hidden]).tocsr()
    _, block_of = sparse.csgraph.connected_components(sparse.bmat([[None, everything], [everything.T, None]]))
    row_block, cell_block = block_of[: everything.shape[0]], block_of[everything.shape[0] :]
    equal_block, hidden_block = row_block[: equal.shape[0]], row_block[equal.shape[0] :]
    jobs, rows = [], []
    for block in np.unique(hidden_block):
        cells = np.flatnonzero(cell_block == block)
        targets = np.flatnonzero(hidden_block == block)
        system = (equal[equal_block == block][:, cells], values[equal_block == block], hidden[targets][:, cells])
        for start in range(0, len(targets), TARGETS_PER_TASK):
            jobs.append((*system, range(start, min(start + TARGETS_PER_TASK, len(targets)))))
            rows.append(targets[start : start + TARGETS_PER_TASK])
    ranges = np.full((len(withheld), 2), np.nan)
    for at, found in zip(rows, _map(_solve, jobs, workers)):
        ranges[at] = found
    return withheld.assign(lower=ranges[:, 0], upper=ranges[:, 1], width=ranges[:, 1] - ranges[:, 0])


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
    """The least and greatest value of the chosen withheld sums of one block, in whole numbers."""
    a_eq, b_eq, hidden, chosen = job
    a_ub, b_ub = -hidden, -np.ones(hidden.shape[0])
    found = []
    for at in chosen:
        objective = hidden[at].toarray().ravel()
        least, most = (
            linprog(sign * objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            for sign in (1, -1)
        )
        if least.status != 0 or most.status not in (0, 3):  # 3: unbounded above
            raise RuntimeError(f"the published counts admit no solution: {least.message} {most.message}")
        upper = math.floor(-most.fun + TOLERANCE) if most.status == 0 else math.inf
        found.append((math.ceil(least.fun - TOLERANCE), upper))
    return np.array(found, dtype=float)


# ---------------------------------------------------------------- the cube and the published counts


@dataclass(frozen=True)
class Cube:
    """The attacker's unknowns, leaf area x age group x sex x education, and the area tree."""

    leaves: tuple[str, ...]
    leaves_of: dict[str, tuple[int, ...]]  # area code -> positions of its leaves
    children: dict[str, tuple[str, ...]]
    levels: dict[str, str]
    age_lowers: tuple[int, ...]
    educations: tuple  # codes, then NO_EDUCATION
    higher: tuple[int, ...]

    @property
    def shape(self) -> tuple[int, int, int]:
        """The cells of one leaf: age groups x sexes x educations."""
        return len(self.age_lowers), len(SEXES), len(self.educations)

    def pattern(self, *, ages=None, sex=None, educations=None) -> tuple[int, ...]:
        """Positions within one leaf's cells of the persons in these age groups (by their lower
        bounds), of this sex, with these educations; None is everyone."""
        chosen = (
            range(self.shape[0]) if ages is None else [self.age_lowers.index(lower) for lower in ages],
            range(self.shape[1]) if sex is None else [SEXES.index(sex)],
            range(self.shape[2]) if educations is None else [self.educations.index(code) for code in educations],
        )
        mask = np.zeros(self.shape, dtype=bool)
        mask[np.ix_(*(list(positions) for positions in chosen))] = True
        return tuple(np.flatnonzero(mask).tolist())

    def cells(self, area: str, pattern: tuple[int, ...]) -> tuple[int, ...]:
        """The cube cells a count adds up: the pattern in every leaf of the area."""
        leaves = np.asarray(self.leaves_of[area])
        return tuple((leaves[:, None] * math.prod(self.shape) + np.asarray(pattern)[None, :]).ravel().tolist())

    def broad_ages(self, label: str) -> list[int]:
        low, high = next((low, high) for name, low, high in indicators.BROAD_AGE_GROUPS if name == label)
        return [lower for lower in self.age_lowers if low <= lower <= (math.inf if high is None else high)]


def build_cube(con: duckdb.DuckDBPyConnection) -> Cube:
    """The areas as the area filter walks them (from the top-level ones down), the age groups of the
    pyramid and the educations of the education tables of the first top-level area."""
    children, levels, pending = {}, {}, [None]
    while pending:
        parent = pending.pop()
        found = run(con, "child_areas", area=parent)
        levels.update(zip(found["code"], found["level"]))
        if parent is not None:
            children[parent] = tuple(found["code"])
        pending.extend(found["code"])
    leaves = tuple(code for code in levels if not children.get(code))
    leaves_of = {code: (at,) for at, code in enumerate(leaves)}
    for code in reversed(list(levels)):  # every area after its parent
        leaves_of.setdefault(code, sum((leaves_of[child] for child in children[code]), ()))
    top = next(iter(levels))
    education = store.read_reference("education.csv")
    return Cube(
        leaves=leaves,
        leaves_of=leaves_of,
        children=children,
        levels=levels,
        age_lowers=tuple(run(con, "population_pyramid", area=top)["lower"].drop_duplicates().astype(int).tolist()),
        educations=(*sorted(run(con, "education_by_sex", area=top)["education"].unique().tolist()), NO_EDUCATION),
        higher=tuple(education.loc[education["higher"] == "true", "code"].astype(int)),
    )


def published_counts(con: duckdb.DuckDBPyConnection, cube: Cube) -> pd.DataFrame:
    """Every count published about every area, one row each: kind (the table), page (the area whose
    page shows it), area (the area it describes), cell, pattern (the cells of one leaf it adds up)
    and value (NaN when withheld)."""
    rows = [row for page in cube.levels for row in _page_counts(con, cube, page)]
    return pd.DataFrame(rows, columns=["kind", "page", "area", "cell", "pattern", "value"])


def _page_counts(con: duckdb.DuckDBPyConnection, cube: Cube, page: str) -> Iterator[tuple]:
    pyramid = indicators.pyramid(con, page)
    for row in pyramid.itertuples():
        pattern = cube.pattern(ages=[row.lower], sex=row.sex)
        yield "pyramid", page, page, f"{row.age_group} sex {row.sex}", pattern, row.persons
    for row in indicators.broad_age_groups(pyramid).itertuples():
        for sex, column in ((1, "male"), (2, "female"), (None, "persons")):
            pattern = cube.pattern(ages=cube.broad_ages(row.age_group), sex=sex)
            yield "broad_age_groups", page, page, f"{row.age_group} {column}", pattern, getattr(row, column)
    for row in indicators.education_by_sex(con, page).itertuples():
        pattern = cube.pattern(sex=row.sex, educations=[row.education])
        yield "education_by_sex", page, page, f"education {row.education} sex {row.sex}", pattern, row.persons
    for row in indicators.education_by_age(con, page).itertuples():
        pattern = cube.pattern(ages=[row.lower], educations=[row.education])
        yield "education_by_age", page, page, f"{row.age_group} education {row.education}", pattern, row.persons
    for row in indicators.education_by_child_area(con, page).itertuples():
        pattern = cube.pattern(educations=[row.education])
        yield "education_by_child_area", page, row.code, f"education {row.education}", pattern, row.persons
    headline = {
        "persons": cube.pattern(),
        "male": cube.pattern(sex=1),
        "female": cube.pattern(sex=2),
        **{column: cube.pattern(ages=cube.broad_ages(label)) for column, (label, _, _) in BROAD_COLUMNS.items()},
        "with_education": cube.pattern(educations=cube.educations[:-1]),
        "higher_education": cube.pattern(educations=cube.higher),
    }
    table = indicators.area_indicators(con, page)
    for column, pattern in headline.items():
        for code, value in zip(table["code"], table[column]):
            yield "indicators", page, code, column, pattern, value


def implied(cube: Cube, counts: pd.DataFrame) -> pd.Series:
    """Published counts whose area's children all publish the same pattern: the sum of theirs, they
    add nothing, and left in they would join the children's blocks into one."""
    known = counts[counts["value"].notna()]
    published = set(zip(known["area"], known["pattern"]))
    return pd.Series(
        [
            pd.notna(value)
            and bool(cube.children.get(area))
            and all((child, pattern) in published for child in cube.children[area])
            for area, pattern, value in zip(counts["area"], counts["pattern"], counts["value"])
        ],
        index=counts.index,
    )


def true_cube(con: duckdb.DuckDBPyConnection, cube: Cube) -> np.ndarray:
    """The cube's true cells, from the store's persons: to check the model, never to attack."""
    persons = con.execute(
        """
        select area_code, sex, age_from, education, sum(persons)::bigint as persons
        from population_by_area
        where list_contains($leaves, area_code)
        group by all
        """,
        {"leaves": list(cube.leaves)},
    ).df()
    education_at = {code: at for at, code in enumerate(cube.educations)}
    index = tuple(
        np.asarray(positions, dtype=np.intp)
        for positions in (
            persons["area_code"].map({code: at for at, code in enumerate(cube.leaves)}),
            np.searchsorted(cube.age_lowers, persons["age_from"].to_numpy(), side="right") - 1,
            persons["sex"].map({sex: at for at, sex in enumerate(SEXES)}),
            [education_at[None if pd.isna(code) else int(code)] for code in persons["education"]],
        )
    )
    truth = np.zeros(len(cube.leaves) * math.prod(cube.shape))
    np.add.at(truth, np.ravel_multi_index(index, (len(cube.leaves), *cube.shape)), persons["persons"].to_numpy())
    return truth


# ---------------------------------------------------------------- the audit


def audit(con: duckdb.DuckDBPyConnection, *, workers: int = 1) -> dict:
    """The attack on every published count of the store, under the protection in force. Returns a
    dict: `cells` (each published count of an area below kecamatan level: kind, page, area, level,
    cell, value, withheld, lower, upper, width, truth), `summary` (per kind and level: cells,
    withheld, exact, below_k (narrowed to a width from 1 to k-1), exposed (published from 1 to
    k-1), small (withheld, truly from 1 to k-1), small_exact and small_below_k (of those)),
    `widths` (withheld counts per kind, level and width), `totals` (the figures over all),
    `min_cell` (k) and `seconds`."""
    started = time.perf_counter()
    min_cell = privacy.protection().min_cell
    cube = build_cube(con)
    counts = published_counts(con, cube)
    counts["cells"] = [cube.cells(area, pattern) for area, pattern in zip(counts["area"], counts["pattern"])]
    solved = bounds(counts[~implied(cube, counts)], workers=workers)
    cells = counts.merge(solved, on="cells", how="left")
    cells["withheld"] = cells["value"].isna()
    shown = ~cells["withheld"]
    cells.loc[shown, "lower"] = cells.loc[shown, "upper"] = cells.loc[shown, "value"]
    cells.loc[shown, "width"] = 0.0
    cells["truth"] = incidence(cells["cells"], len(cube.leaves) * math.prod(cube.shape)) @ true_cube(con, cube)
    wrong = (shown & (cells["value"] != cells["truth"])) | ~cells["truth"].between(cells["lower"], cells["upper"])
    if wrong.any():
        raise AssertionError(f"the model disagrees with the store: {cells[wrong].iloc[0].to_dict()}")
    cells["level"] = cells["area"].map(cube.levels)
    columns = ["kind", "page", "area", "level", "cell", "value", "withheld", "lower", "upper", "width", "truth"]
    cells = cells.loc[cells["level"].map(privacy.is_small_area), columns].reset_index(drop=True)
    exact = cells["withheld"] & (cells["width"] == 0)
    below_k = cells["withheld"] & cells["width"].between(1, min_cell - 1)
    small = cells["withheld"] & cells["truth"].between(1, min_cell - 1)
    flags = cells.assign(
        cells=1,
        exact=exact,
        below_k=below_k,
        exposed=~cells["withheld"] & cells["value"].between(1, min_cell - 1),
        small=small,
        small_exact=small & exact,
        small_below_k=small & below_k,
    )
    summary = flags.groupby(["kind", "level"])[list(FIGURES)].sum().reset_index()
    edges = [*WIDTH_EDGES, math.inf]
    labels = [str(low) if high == low + 1 else f"{low}-{high - 1}" for low, high in zip(edges, edges[1:-1])]
    widths = (
        cells[cells["withheld"]]
        .assign(
            width=lambda frame: pd.cut(
                frame["width"], [edge - 0.5 for edge in edges], labels=[*labels, f"{edges[-2]}+"]
            )
        )
        .groupby(["kind", "level", "width"], observed=True)
        .size()
        .unstack(fill_value=0)
    )
    return {
        "min_cell": min_cell,
        "cells": cells,
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
    args = parser.parse_args(argv)
    path = store.db_path(args.db)
    with store.connect(path) as con:
        result = audit(con, workers=args.workers)
    print(f"{path}: k = {result['min_cell']}, {privacy.mode_label('en')}, {result['seconds']:.0f} s")
    print(result["summary"].to_string(index=False))
    if not result["widths"].empty:
        print("\nWithheld counts by the width of their bounds:")
        print(result["widths"].to_string())
    print("\nIn all: " + ", ".join(f"{figure} {value}" for figure, value in result["totals"].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
