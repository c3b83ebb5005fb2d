"""Population counts: a table of counts (one row per cell, with jumlah) or person rows (microdata,
with an optional sample weight), summed into cells of village x sex x age x education. Age is single
years or BPS age groups (finer top groups summed into 75+); education is kept from age 5 and required
there when the file has it. Kelurahan are given by code or by name (names). A file without a count column
is refused while a column looks like one, never read as one person a row.

The persons read are the file's exact sum of counts or weights, rounded once; the cells are rounded
on their own (largest remainder), and the load is refused unless the store holds those persons."""

from __future__ import annotations

import duckdb

from sensus.ingest import checks, names
from sensus.ingest.checks import header_key
from sensus.ingest.periods import PERIOD_HEADERS
from sensus.ingest.problems import Problem
from sensus.ingest.readers import Source
from sensus.ingest.staging import Staged, replacing_rows

EDUCATION_REQUIRED = """
    select first_row, rows, '', 'education_required', null
    from checked
    where education_text is null and {age}_value.age_from >= 5
"""


COUNT_WORDS = {"jumlah", "jml", "jiwa", "penduduk", "orang", "total", "count", "banyak", "banyaknya", "persons"}
# Numbers that are not counts: identifiers, codes, periods, places.
IDENTIFIER_WORDS = {
    "id",
    "kode",
    "code",
    "no",
    "nomor",
    "nik",
    "kk",
    "urut",
    "rt",
    "rw",
    "lat",
    "lon",
    "lintang",
    "bujur",
}
AREA_NAMES = ("area_name", "district_code", "district_name")


def stage(con: duckdb.DuckDBPyConnection, source: Source) -> Staged:
    columns = checks.match(source, "population")
    if "age" in columns.index:
        columns = columns.without("age_group")
    if "district_code" in columns.index:
        columns = columns.without("district_name")
    by_name = "area_code" not in columns.index and "area_name" in columns.index
    if not by_name:
        columns = columns.without(*AREA_NAMES)
    found = area_missing(columns) + columns.missing("sex") + columns.missing("age", "age_group")
    if {"persons", "weight"} <= columns.index.keys():
        found.append(Problem(source.name, 1, columns.label("persons", "weight"), None, "count_and_weight"))
    counts = "persons" in columns.index
    if not found and not counts and "weight" not in columns.index:
        found += counts_in_person_rows(con, columns)
    checked = checks.build(con, columns, per_row=counts, problems=found)
    names_read = ()
    if by_name:
        checked, names_read = names.resolve(con, checked)
        columns = checked.columns
    age = "age" if "age" in columns.index else "age_group"
    has_education = "education" in columns.index
    keys = ["area_code", "sex", age] + (["education"] if has_education else [])
    checks.refuse_wrong_values(
        con,
        checked,
        ([checks.on_field(checked, "education", EDUCATION_REQUIRED.format(age=age))] if has_education else [])
        + ([cells_counted_once(checked, keys)] if counts else []),
    )

    persons = "rows * persons_value" if counts else ("rows * weight_value" if "weight" in columns.index else "rows")
    education = f"case when {age}_value.age_from >= 5 then education_value end" if has_education else "null"
    con.execute(f"""
        create temp table exact as
        select
            area_code_value as village_code,
            sex_value::tinyint as sex,
            {age}_value.age_from as age_from,
            {age}_value.age_to as age_to,
            ({education})::tinyint as education,
            sum({persons}) as persons
        from checked
        group by all
    """)
    persons_read = con.execute("select coalesce(round(sum(persons)), 0)::bigint from exact").fetchone()[0]
    round_cells(con)
    cells = con.execute("select * from cells where persons > 0 order by village_code, sex, age_from, education").df()
    return Staged(replacing_rows("population", cells), checked.rows_read, persons_read, columns.ignored, names_read)


def cells_counted_once(checked: checks.Checked, keys: list[str]) -> checks.Check:
    """Each cell once: rows may add up into one cell (85+ and 80-84 into 75+; DIPLOMA I/II and DIPLOMA III
    into Diploma I-III) only where what they cover as published does not overlap."""
    age = keys[2]
    cell = ["area_code_value", "sex_value", f"{age}_value.age_from"]
    covers = [(f"{age}_value.part_from", f"{age}_value.part_to")]
    if "education" in keys:
        cell.append("education_value")
        covers.append(("coalesce(education_part(education_text), 0)", "coalesce(education_part(education_text), 999)"))
    return checks.overlapping(checked, keys, cell, covers)


def area_missing(columns: checks.Columns) -> list[Problem]:
    """No kelurahan/desa column: a plain problem, or a clearer one for a table by kecamatan."""
    if "area_code" in columns.index or "area_name" in columns.index:
        return []
    headers = columns.source.headers
    district = next(
        (
            columns.column_label(index)
            for index, header in enumerate(headers)
            if any(header_key(header) in columns.fields[name].aliases for name in ("district_code", "district_name"))
        ),
        None,
    )
    if district is None:
        return columns.missing("area_code")
    return [Problem(columns.source.name, 1, district, None, "by_district")]


def counts_in_person_rows(con: duckdb.DuckDBPyConnection, columns: checks.Columns) -> list[Problem]:
    """A file without a count column is read as one person a row; refuse it when a column not read looks
    like a count: numbers under a header such as jiwa or total, or numbers above 1 in a column that is no
    identifier, code or period."""
    source = columns.source
    used = set(columns.index.values())
    candidates = [
        index
        for index, header in enumerate(source.headers)
        if index not in used
        and header_key(header)
        and not set(header_key(header).split("_")) & IDENTIFIER_WORDS
        and header_key(header) not in PERIOD_HEADERS
    ]
    if not candidates:
        return []
    text = {index: f"{checks.text_macro(source.types[index])}(c{index})" for index in candidates}
    figures = con.execute(
        "select "
        + ", ".join(
            f"count({text[index]}) = count(count_value({text[index]})) and count({text[index]}) > 0, "
            f"max(count_value({text[index]}))"
            for index in candidates
        )
        + " from source"
    ).fetchone()
    problems = []
    for number, index in enumerate(candidates):
        numeric, largest = figures[2 * number], figures[2 * number + 1]
        count_like = set(header_key(source.headers[index]).split("_")) & COUNT_WORDS
        if numeric and (count_like or largest > 1):
            largest = int(largest) if largest == int(largest) else float(largest)
            problems.append(
                Problem(source.name, 1, columns.column_label(index), None, "count_column", {"largest": largest})
            )
    return problems


def round_cells(con: duckdb.DuckDBPyConnection) -> None:
    """The table `cells`: the persons of each cell of `exact` as whole numbers. Each cell keeps its whole
    part and the units the total is short go to the largest remainders, ties in cell order, so that the
    cells add up to the rounded total (weighted person rows give fractions)."""
    con.execute("""
        create temp table cells as
        with shortfall as (
            select round(sum(persons)) - sum(floor(persons)) as units from exact
        )
        select
            village_code, sex, age_from, age_to, education,
            (floor(persons) + (row_number() over (order by persons - floor(persons) desc, village_code, sex,
                                                   age_from, education) <= shortfall.units)::int)::bigint as persons
        from exact, shortfall
    """)
