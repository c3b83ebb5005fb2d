"""The data-quality report: each check is a query that returns the offending rows."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from sensus.queries import run

CHECKS = {
    "check_population_reconciles": "population: every village equals its facts, every area the sum of its child areas",
    "check_online_reconciles": "SP Online: every village equals its facts, every area the sum of its child areas, day by day",
    "check_progress_bounds": "SP Online and ASN: 0 <= complete <= submitted <= base, rates within 0..1, never falling",
    "check_codes_known": "every area, sex, education and agency code is known; no negative count",
}


@dataclass(frozen=True)
class CheckResult:
    name: str
    description: str
    problems: pd.DataFrame

    @property
    def ok(self) -> bool:
        return self.problems.empty


def run_checks(con: duckdb.DuckDBPyConnection) -> list[CheckResult]:
    results = [CheckResult(name, description, run(con, name)) for name, description in CHECKS.items()]
    datasets = run(con, "datasets")
    missing_provenance = datasets[datasets["sha256"].isna() | (datasets["sha256"] == "")]
    if datasets.empty:
        missing_provenance = pd.DataFrame({"problem": ["no dataset is recorded in the store"]})
    results.append(CheckResult("check_datasets", "every dataset is recorded with its source and sha256",
                               missing_provenance))
    return results


def report(con: duckdb.DuckDBPyConnection) -> tuple[str, bool]:
    """The report as text, and whether every check passed."""
    lines = []
    for row in run(con, "store_summary").itertuples():
        lines.append(
            f"{row.name} ({row.code}): {row.persons or 0:,} persons in {row.districts:,} kecamatan "
            f"and {row.villages:,} kelurahan/desa"
            + (f", {row.regencies:,} kabupaten/kota" if row.level != "regency" else "")
            + (f", {row.provinces:,} provinces" if row.level == "nation" else "")
        )
    lines.append("")
    results = run_checks(con)
    for result in results:
        lines.append(f"[{'ok' if result.ok else 'FAIL'}] {result.description}")
        if not result.ok:
            lines.append(f"       {len(result.problems):,} problem(s), first ones:")
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
    return "\n".join(lines), all(result.ok for result in results)
