"""Loading real census extracts: python -m sensus ingest KIND FILE, or the upload page.

The file is read (readers), its columns matched to the fields of its kind (fields) and every value
checked and normalised in DuckDB by the field rules (rules.sql, run by checks) against the store's areas
and the reference codes in data/ (areas given by name are matched by names); each kind (population,
online, asn, areas) adds its own checks and says what it loads. A population file keeps every period it
holds; the other kinds load one (periods). Person rows are summed into counts on the way in. The result
goes into a copy of the store that replaces it only when the whole file, and then the store's own checks,
pass. What is wrong is told as problems (problems) in the language of whoever reads them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pandas as pd

from queries import run
from sensus import check, store
from sensus.ingest import areas, asn, layouts, online, periods, population, rules
from sensus.ingest.problems import IngestError, Problem, printable_name, refusal
from sensus.ingest.readers import read

__all__ = ["KINDS", "IngestError", "IngestReport", "Problem", "ingest_file"]

STAGES = {"areas": areas.stage, "online": online.stage, "asn": asn.stage}
KINDS = ("areas", "population", "online", "asn")
SHOWN_REPEATS = 5


@dataclass(frozen=True)
class Loaded:
    """A dataset a file loaded: a wide file loads one for each group of its columns (sex, age groups, ...)."""

    dataset_id: int
    rows_stored: int
    persons_read: int | None = None
    persons_stored: int | None = None
    dimensions: tuple[str, ...] | None = None  # of a population dataset
    periods: tuple[str, ...] = ()  # of a population dataset
    totals_checked: int = 0
    repeated_rows: tuple[tuple[int, ...], ...] = ()  # rows that gave one cell with other counts, added together
    names_read: tuple[tuple[str, str, str], ...] = ()  # (name as given, name in the store, code)
    replaced: tuple[int, ...] = ()  # the population datasets it took the place of
    differences: tuple[tuple[int, str, str, int, int], ...] = ()  # (dataset, period, area, its persons, these)

    def lines(self) -> list[str]:
        if self.persons_stored is None:
            lines = [f"Stored {self.rows_stored:,} rows"]
        else:
            cell = " x ".join(("area", "period", *(self.dimensions or ())))
            lines = [f"Stored {self.persons_stored:,} persons in {self.rows_stored:,} cells ({cell})"]
        if self.periods:
            lines.append(
                f"Periods: {', '.join(period or 'not named (name it with --period)' for period in self.periods)}"
            )
        if self.totals_checked:
            lines.append(f"Totals rows checked against their parts and not stored: {self.totals_checked:,}")
        if self.repeated_rows:
            shown = "; ".join(" + ".join(f"{row:,}" for row in rows) for rows in self.repeated_rows[:SHOWN_REPEATS])
            more = len(self.repeated_rows) - SHOWN_REPEATS
            lines.append(
                f"Cells given by more than one row, with other counts, added together: rows {shown}"
                + (f" and {more:,} more" if more > 0 else "")
            )
        if self.names_read:
            lines.append(
                "Names read as the store's: "
                + "; ".join(f'"{given}" as {stored} ({code})' for given, stored, code in self.names_read)
            )
        if self.replaced:
            lines.append(f"In place of dataset {', '.join(f'#{number}' for number in self.replaced)}")
        for other, period, area, theirs, ours in self.differences:
            lines.append(
                f"Differs from dataset #{other} in {period or 'its period'} for {area}: {ours:,} persons here, "
                f"{theirs:,} there"
            )
        return lines


@dataclass(frozen=True)
class IngestReport:
    kind: str
    source_file: str
    sha256: str
    rows_read: int
    loaded: tuple[Loaded, ...]
    ignored_columns: tuple[str, ...]
    seconds: float
    period: str | None = None  # of a kind that keeps one period
    period_columns: tuple[str, ...] = ()

    @property
    def dataset_id(self) -> int:
        return self.loaded[0].dataset_id

    @property
    def dimensions(self) -> tuple[str, ...] | None:
        return self.loaded[0].dimensions

    @property
    def persons_read(self) -> int | None:
        return None if self.kind != "population" else sum(table.persons_read for table in self.loaded)

    @property
    def persons_stored(self) -> int | None:
        return None if self.kind != "population" else sum(table.persons_stored for table in self.loaded)

    @property
    def rows_stored(self) -> int:
        return sum(table.rows_stored for table in self.loaded)

    @property
    def periods(self) -> tuple[str, ...]:
        return tuple(sorted({period for table in self.loaded for period in table.periods}))

    @property
    def totals_checked(self) -> int:
        return sum(table.totals_checked for table in self.loaded)

    @property
    def repeated_rows(self) -> tuple[tuple[int, ...], ...]:
        return tuple(rows for table in self.loaded for rows in table.repeated_rows)

    @property
    def names_read(self) -> tuple[tuple[str, str, str], ...]:
        return tuple(sorted({name for table in self.loaded for name in table.names_read}))

    def lines(self) -> list[str]:
        persons = self.persons_read is not None and len(self.loaded) == 1  # tables of one file count persons again
        lines = [
            f"Read {self.rows_read:,} rows from {self.source_file}"
            + (f": {self.persons_read:,} persons" if persons else "")
        ]
        for table in self.loaded:
            table_lines = table.lines()
            if table.periods and self.period_columns:
                table_lines[1] += f" ({', '.join(self.period_columns)})"
            lines += table_lines
        if self.period is not None:
            lines.append(f"Period {self.period} ({', '.join(self.period_columns)})")
        if self.ignored_columns:
            lines.append(f"Ignored columns: {', '.join(self.ignored_columns)}")
        numbers = ", ".join(f"#{table.dataset_id}" for table in self.loaded)
        lines.append(
            f"Dataset {numbers} ({self.kind}) recorded, sha256 {self.sha256}; "
            f"now in force for {self.kind} ({self.seconds:.1f} s)"
        )
        return lines


def ingest_file(
    kind: str,
    path: str | os.PathLike,
    db: str | os.PathLike | None = None,
    sheet: str | None = None,
    display_name: str | None = None,
    progress: Callable[[str], None] | None = None,
    period: str | None = None,
    area: str | None = None,
    header_row: int | None = None,
) -> IngestReport:
    """Check the whole file and, only when it is right, load it into the store `db`. Of a population file,
    every period it holds, or `period` alone ("2024-1", "2023"; for a file without period columns, the
    period it is of); `area` is the area of every row of a population file without area columns; a wide
    population file loads a dataset for each group of its columns (layouts). `header_row` is the row of
    the header where it is not found.
    Raises IngestError (the store unchanged) listing what is wrong: file, row, column, value, expected."""
    started = time.perf_counter()
    progress = progress or (lambda message: None)
    path = Path(path)
    name = printable_name(display_name or path.name)
    if kind not in KINDS:
        raise IngestError([Problem(name, None, None, kind, "kind", {"kinds": ", ".join(KINDS)})])
    target = store.db_path(db)
    if not target.exists():
        raise refusal(name, "no_store", store=target)
    try:
        with duckdb.connect() as con:
            source = read(con, path, name, sheet, progress, header_row)
            digest = store.sha256_of(path)
            progress(f"checking {source.rows:,} rows")
            con.execute("attach $path as store (read_only)", {"path": str(target)})
            rules.register(con)
            if kind == "population":
                area_code = known_area(con, name, area) if area else None
                staged, period_columns = [], ()
                tables = layouts.long_tables(con, source)
                wide = tables[0].relation != source.relation
                for table in tables:
                    layouts.use(con, table)
                    periods_read = periods.choose(con, table, period, every=True)
                    staged.append(population.stage(con, table, periods_read, area_code))
                    period_columns = period_columns or periods_read.columns
                period_read = None
            else:
                periods_read = periods.choose(con, source, period)
                staged, period_columns, wide = [STAGES[kind](con, source)], periods_read.columns, False
                period_read = periods_read.read[0] if periods_read.read else None
        progress("loading into a copy of the store")
        with store.replacing(target) as copy:
            loaded = tuple(load(copy, kind, name, digest, source.format, table) for table in staged)
            store.refresh_rollups(copy)
            if kind == "population":
                loaded = tuple(
                    replace(
                        table,
                        persons_stored=refuse_lost_persons(copy, name, table.persons_read, table.dataset_id),
                        differences=population_differences(copy, table.dataset_id),
                    )
                    for table in loaded
                )
            progress("running the store's checks")
            refuse_failed_checks(copy, name)
    except (duckdb.Error, OSError) as error:
        raise refusal(name, "not_loaded", error=str(error).strip().splitlines()[0].replace(str(path), name)) from None
    # A wide file's tables each ignore the others' columns: a column is ignored when no table reads it.
    ignored = [column for column in staged[0].ignored if all(column in table.ignored for table in staged)]
    return IngestReport(
        kind,
        name,
        digest,
        source.rows if wide else staged[0].rows_read,  # a wide file's rows, not the long rows read from them
        loaded,
        tuple(column for column in ignored if column not in period_columns),
        time.perf_counter() - started,
        period_read,
        period_columns,
    )


def load(copy: duckdb.DuckDBPyConnection, kind: str, name: str, digest: str, file_format: str, staged) -> Loaded:
    """Record one staged table as a dataset and write its rows into the store copy."""
    replaced = superseded(copy, staged.dimensions) if kind == "population" else ()
    dataset_id = store.record_dataset(
        copy,
        kind=kind,
        source_file=name,
        sha256=digest,
        rows_read=staged.rows_read,
        persons_read=staged.persons_read,
        synthetic=False,
        description_key="dataset.file",
        description_values={"kind": kind, "file": name, "format": file_format.upper()},
        dimensions=list(staged.dimensions) if staged.dimensions is not None else None,
    )
    return Loaded(
        dataset_id,
        staged.load(copy, dataset_id),
        staged.persons_read,
        dimensions=staged.dimensions,
        periods=staged.periods,
        totals_checked=staged.totals_checked,
        repeated_rows=staged.repeated_rows,
        names_read=staged.names_read,
        replaced=replaced,
    )


def known_area(con: duckdb.DuckDBPyConnection, name: str, area: str) -> str:
    """The store's code of the area given with --area (a Kemendagri or BPS code), or a refusal."""
    found = con.execute("select area_value($area)", {"area": area.strip()}).fetchone()[0]
    if found is None:
        raise refusal(name, "area_unknown", area=area)
    return found


def superseded(copy: duckdb.DuckDBPyConnection, dimensions: tuple[str, ...]) -> tuple[int, ...]:
    """The population datasets a new one of these dimensions takes the place of: those of the same
    dimensions, and the synthetic ones."""
    return tuple(
        number
        for (number,) in copy.execute(
            "select distinct dataset_id from population join datasets on datasets.id = population.dataset_id "
            "where synthetic or dimensions = $dimensions order by dataset_id",
            {"dimensions": list(dimensions)},
        ).fetchall()
    )


def population_differences(copy: duckdb.DuckDBPyConnection, dataset_id: int) -> tuple:
    """Where the new dataset and another hold the same top area in the same period with other totals."""
    found = run(copy, "population_differences", dataset=dataset_id)
    return tuple(found.itertuples(index=False, name=None))


def refuse_lost_persons(copy: duckdb.DuckDBPyConnection, name: str, persons_read: int, dataset_id: int) -> int:
    """The persons stored in the copy as the dataset, or a refusal when they are not the persons read."""
    persons_stored = copy.execute(
        "select coalesce(sum(persons), 0)::bigint from population where dataset_id = ?", [dataset_id]
    ).fetchone()[0]
    if persons_stored != persons_read:
        raise refusal(name, "persons_lost", read=persons_read, stored=persons_stored)
    return persons_stored


def refuse_failed_checks(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run the store's checks on the copy being loaded and keep their results; refuse the load when
    one fails."""
    failed = [result for result in check.record_checks(con) if not result.ok]
    if failed:
        raise IngestError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    "store_check",
                    {
                        "check": result.description,
                        "found": "; ".join(
                            ", ".join(f"{key} {plain(value)}" for key, value in row.items())
                            for row in result.problems.head(3).to_dict("records")
                        ),
                    },
                )
                for result in failed
            ]
        )


def plain(value) -> str:
    """A value of a check's result as text (a day without its midnight)."""
    return str(value.date()) if isinstance(value, pd.Timestamp) and value == value.normalize() else str(value)
