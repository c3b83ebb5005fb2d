"""Population counts: a table of counts (one row per cell, with jumlah) or person rows (microdata,
with an optional sample weight), summed into cells of village x sex x age x education. Age is single
years or BPS age groups; education is kept from age 5 and required there when the file has it.

The persons read are the file's exact sum of counts or weights, rounded once; the cells are rounded
on their own (largest remainder), and the load is refused unless the store holds those persons."""

from __future__ import annotations

import duckdb

from sensus.ingest import checks
from sensus.ingest.problems import Problem
from sensus.ingest.readers import Source
from sensus.ingest.staging import Staged, replacing_rows

EDUCATION_REQUIRED = """
    select first_row, rows, '', 'education_required', null
    from checked
    where education_text is null and {age}_value.age_from >= 5
"""


def stage(con: duckdb.DuckDBPyConnection, source: Source) -> Staged:
    columns = checks.match(source, "population")
    if "age" in columns.index:
        columns = columns.without("age_group")
    found = columns.missing("area_code") + columns.missing("sex") + columns.missing("age", "age_group")
    if {"persons", "weight"} <= columns.index.keys():
        found.append(Problem(source.name, 1, columns.label("persons", "weight"), None, "count_and_weight"))
    counts = "persons" in columns.index
    checked = checks.build(con, columns, per_row=counts, problems=found)
    age = "age" if "age" in columns.index else "age_group"
    has_education = "education" in columns.index
    keys = ["area_code", "sex", age] + (["education"] if has_education else [])
    checks.refuse_wrong_values(
        con,
        checked,
        ([checks.on_field(checked, "education", EDUCATION_REQUIRED.format(age=age))] if has_education else [])
        + ([checks.duplicates(checked, keys, "once_combination", fields=", ".join(keys))] if counts else []),
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
    return Staged(replacing_rows("population", cells), checked.rows_read, persons_read, columns.ignored)


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
