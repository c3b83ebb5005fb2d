"""The data-quality report: each check is a query that returns the offending rows.

The checks run whenever the store is written, and their results are kept in it (check_results):
the dashboard reads them there instead of scanning every village-day again.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from queries import run
from sensus import privacy

CHECKS = {
    "check_population_reconciles": "population: every village equals its facts, every area the sum of its child areas",
    "check_online_reconciles": (
        "SP Online: every village equals its facts, every area the sum of its child areas, day by day"
    ),
    "check_progress_bounds": "SP Online and ASN: 0 <= complete <= submitted <= base, rates within 0..1, never falling",
    "check_codes_known": "every area, sex, education and agency code is known; no negative count",
}


DATASETS_CHECK = ("check_datasets", "every dataset is recorded with its source and sha256")
KEPT_PROBLEMS = 100  # offending rows kept in the store for each check


@dataclass(frozen=True)
class CheckResult:
    name: str
    description: str
    problems: pd.DataFrame  # the offending rows (the first KEPT_PROBLEMS of them, when read from the store)
    count: int  # how many rows offend

    @property
    def ok(self) -> bool:
        return self.count == 0


def run_checks(con: duckdb.DuckDBPyConnection) -> list[CheckResult]:
    results = []
    for name, description in CHECKS.items():
        problems = run(con, name)
        results.append(CheckResult(name, description, problems, len(problems)))
    datasets = run(con, "datasets")
    missing_provenance = datasets[datasets["sha256"].isna() | (datasets["sha256"] == "")]
    if datasets.empty:
        missing_provenance = pd.DataFrame({"problem": ["no dataset is recorded in the store"]})
    return [*results, CheckResult(*DATASETS_CHECK, missing_provenance, len(missing_provenance))]


def record_checks(con: duckdb.DuckDBPyConnection) -> list[CheckResult]:
    """Run the checks on a store being written and keep their results in it; returns them."""
    results = run_checks(con)
    checked_at = datetime.now()
    kept = pd.DataFrame(
        {
            "position": range(len(results)),
            "name": [result.name for result in results],
            "problem_count": [result.count for result in results],
            "first_problems": [as_json(result.problems.head(KEPT_PROBLEMS)) for result in results],
            "checked_at": checked_at,
        }
    )
    with con.cursor() as cursor:
        cursor.register("checked", kept)
        cursor.execute("create or replace table check_results as select * from checked")
    return results


def as_json(rows: pd.DataFrame) -> str:
    """Rows as JSON records, their dates written as text (2020-03-02) as the report shows them."""
    dates = [
        column
        for column, values in rows.items()
        if values.dtype.kind == "M" or any(isinstance(value, date) for value in values)
    ]
    return rows.astype(dict.fromkeys(dates, str)).to_json(orient="records")


def recorded_checks(con: duckdb.DuckDBPyConnection) -> list[CheckResult]:
    """The checks as they stood when the store was last written; run now for a store written
    before these checks were kept in it."""
    descriptions = {**CHECKS, DATASETS_CHECK[0]: DATASETS_CHECK[1]}
    try:
        recorded = run(con, "check_results")
    except (duckdb.CatalogException, duckdb.BinderException):  # no check_results, or of another shape
        recorded = None
    if recorded is None or list(recorded["name"]) != list(descriptions):
        return [
            CheckResult(result.name, result.description, result.problems.head(KEPT_PROBLEMS), result.count)
            for result in run_checks(con)
        ]
    return [
        CheckResult(
            row.name,
            descriptions[row.name],
            count=int(row.problem_count),
            problems=pd.read_json(io.StringIO(row.first_problems), dtype=False),
        )
        for row in recorded.itertuples()
    ]


def report(con: duckdb.DuckDBPyConnection) -> tuple[str, bool]:
    """The report as text, and whether every check passed."""
    lines = []
    for row in run(con, "store_summary").itertuples():
        lines.append(
            f"{row.name} ({row.code}): {row.persons:,} persons in {row.districts:,} kecamatan "
            f"and {row.villages:,} kelurahan/desa"
            + (f", {row.regencies:,} kabupaten/kota" if row.level != "regency" else "")
            + (f", {row.provinces:,} provinces" if row.level == "nation" else "")
        )
    lines.append("")
    results = run_checks(con)
    for result in results:
        lines.append(f"[{'ok' if result.ok else 'FAIL'}] {result.description}")
        if not result.ok:
            lines.append(f"       {result.count:,} problem(s), first ones:")
            lines.extend("       " + line for line in result.problems.head(10).to_string(index=False).splitlines())
    lines.append("")
    lines.append("Datasets:")
    for row in run(con, "datasets").itertuples():
        synthetic = " [SYNTHETIC]" if row.synthetic else ""
        lines.append(
            f"  #{row.id} {row.kind}{synthetic}: {row.source_file}, {row.rows_read:,} rows, "
            + ("" if pd.isna(row.persons_read) else f"{row.persons_read:,} persons, ")
            + f"loaded {row.loaded_at:%Y-%m-%d %H:%M}, sha256 {row.sha256[:16]}..."
        )
    lines.append("")
    lines.extend(protection_lines(con))
    return "\n".join(lines), all(result.ok for result in results)


def protection_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """What the disclosure control changes, per area level (privacy.utility), as report lines."""
    k, change = con.execute("select min_cell, max_change from protection_settings").fetchone()
    lines = [
        f"Disclosure control (cell-key method, k = {k}: below kecamatan level counts of 1-{k - 1} are published "
        f"as 0 or {k}, larger ones moved by at most {change} and then rounded the same way when below {k}; "
        "whole-area totals of kecamatan and above exact):"
    ]
    for row in privacy.utility(con).itertuples():
        lines.append(
            f"  {row.level}: {row.moved:,} of {row.cells:,} counts moved ({row.small:,} of 1-{k - 1} persons), "
            f"{row.persons_moved:,} persons moved in all ({row.persons_moved / max(row.persons, 1):.2%} of "
            f"{row.persons:,}); {row.totals_moved:,} of {row.totals:,} whole-area totals moved, "
            f"by {row.total_persons_moved:,} persons"
        )
    return lines
