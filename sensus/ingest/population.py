"""Population counts: a table of counts (one row per cell, with jumlah) or person rows (microdata,
with an optional sample weight), summed into cells of area x period x whichever of sex, age and education
the file has: the dataset keeps the dimensions it has. Areas are of any level, given by code (the finest
code column the file has) or by name (names), or all rows are of the one area given with `--area`. Age is
single years or BPS age groups (finer top groups summed into 75+); education is kept from age 5 and required
there when the file has it. Every period the file holds is kept (periods).

A totals row (Jumlah or Total in a dimension's column, or an area whose parts the file also holds) is not
stored but checked: it must equal the sum of the rows it totals. A file without a count column is refused
while a column looks like one, never read as one person a row.

The persons read are the file's exact sum of counts or weights, rounded once; the cells are rounded
on their own (largest remainder), and the load is refused unless the store holds those persons."""

from __future__ import annotations

from dataclasses import replace

import duckdb

from sensus.ingest import checks, names
from sensus.ingest.checks import header_key
from sensus.ingest.fields import Field
from sensus.ingest.periods import PERIOD_HEADERS, Periods
from sensus.ingest.problems import Problem
from sensus.ingest.readers import Source
from sensus.ingest.staging import Staged

DIMENSIONS = ("sex", "age", "education")
CODE_FIELDS = ("area_code", "district_code", "regency_code", "province_code")  # finest first
NAME_FIELDS = ("area_name", "district_name", "regency_name")  # finest first
AREA_FIELDS = (*CODE_FIELDS, *NAME_FIELDS)
# The fields of a row's cell whose column may say Jumlah/Total: such a row totals the others.
TOTALLING = ("area_code", "sex", "age", "age_group", "education")

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


def stage(con: duckdb.DuckDBPyConnection, source: Source, periods: Periods, area: str | None = None) -> Staged:
    """Check the population file in `source` (whose column `periods.column` gives each row's period, required
    where the file has period columns); `area` is the code of the area of every row, for a file without area
    columns."""
    columns = checks.match(source, "population")
    columns = replace(
        columns,
        fields={**columns.fields, "period": Field("period", (), "text", required=bool(periods.columns))},
        index={**columns.index, "period": periods.column},
    )
    if "age" in columns.index:
        columns = columns.without("age_group")
    columns, by_name = area_columns(columns, area)
    found = [] if area or by_name or "area_code" in columns.index else [no_area(con, columns)]
    if {"persons", "weight"} <= columns.index.keys():
        found.append(Problem(source.name, 1, columns.label("persons", "weight"), None, "count_and_weight"))
    counts = "persons" in columns.index
    if not found and not counts and "weight" not in columns.index:
        found += counts_in_person_rows(con, columns)
    checked = checks.build(con, columns, per_row=counts, problems=found)
    names_read = ()
    if by_name:
        checked, names_read = names.resolve(con, checked, by_name)
        columns = checked.columns
    if area:
        add_area(con, area)
    elif source.total_rows and counts:
        con.execute(
            "update checked set area_code_problem = 'totals', area_code_value = null "
            "where list_contains($rows, first_row)",
            {"rows": list(source.total_rows)},
        )
    age = next((name for name in ("age", "age_group") if name in columns.index), None)
    dimensions = tuple(
        dimension
        for dimension, field in zip(DIMENSIONS, ("sex", age, "education"))
        if field is not None and field in columns.index
    )
    totalling = [name for name in TOTALLING if name in columns.index] if counts else []
    if totalling:
        empty_means_all(con, totalling)
    checks.refuse_wrong_values(
        con,
        checked,
        [
            *education_required(checked, age),
            *([cells_counted_once(checked, age)] if counts else []),
            *([totals_add_up(checked, totalling)] if totalling else []),
        ],
        accept_totals=totalling,
    )

    persons = "rows * persons_value" if counts else ("rows * weight_value" if "weight" in columns.index else "rows")
    cell = {
        "sex": "sex_value::tinyint" if "sex" in dimensions else "null::tinyint",
        "age_from": f"{age}_value.age_from" if age else "null::smallint",
        "age_to": f"{age}_value.age_to" if age else "null::smallint",
        "education": (
            ("education_value" if not age else f"case when {age}_value.age_from >= 5 then education_value end")
            if "education" in dimensions
            else "null"
        )
        + "::tinyint",
    }
    not_totals = " and ".join(f"{name}_problem is null" for name in totalling) or "true"
    con.execute(f"""
        create or replace temp table exact as
        select
            coalesce(period_value, '') as period,
            area_code_value as area_code,
            {", ".join(f"{expression} as {name}" for name, expression in cell.items())},
            sum({persons}) as persons,
            min(first_row) as first_row
        from checked
        where {not_totals}
        group by all
    """)
    repeated = repeated_cells(con, checked, age)
    totals_checked = drop_area_totals(con, checked, totalling)
    if totalling:
        totals_checked += con.execute(
            f"select count(distinct first_row) from checked where not ({not_totals})"
        ).fetchone()[0]
    persons_read = con.execute("select coalesce(round(sum(persons)), 0)::bigint from exact").fetchone()[0]
    round_cells(con)
    cells = con.execute(
        "select * exclude (first_row) from cells where persons > 0 order by period, area_code, sex, age_from, education"
    ).df()
    periods = tuple(sorted(cells["period"].unique()))
    return Staged(
        population_rows(cells, dimensions),
        checked.rows_read,
        persons_read,
        columns.ignored,
        names_read,
        dimensions=dimensions,
        periods=periods,
        totals_checked=totals_checked,
        repeated_rows=repeated,
    )


def area_columns(columns: checks.Columns, area: str | None) -> tuple[checks.Columns, str | None]:
    """The columns with the area of the rows as field area_code: the finest code column (area_code,
    district_code, ...), else names (returned: the field whose names name the areas), else none (all rows
    are of `area`). Coarser columns, and those of the other system, are left unread."""
    index = columns.index
    if "area_code" not in index and "area_name" not in index:
        finest = next((name for name in CODE_FIELDS if name in index), None)
        if finest is not None:
            index = {("area_code" if name == finest else name): i for name, i in index.items()}
            columns = replace(columns, index=index, fields={**columns.fields, "area_code": columns.fields[finest]})
    if "area_code" in columns.index:
        return columns.without(*AREA_FIELDS[1:]), None
    by_name = next((name for name in NAME_FIELDS if name in columns.index), None)
    if by_name is None:
        return columns.without(*AREA_FIELDS), None
    # Kelurahan names are read within the file's kecamatan (code or name); the coarser columns go unread.
    kept = ("district_code", "district_name", "area_name") if by_name == "area_name" else (by_name,)
    return columns.without(*(name for name in AREA_FIELDS if name not in kept)), by_name


def no_area(con: duckdb.DuckDBPyConnection, columns: checks.Columns) -> Problem:
    """No column gives the rows' areas: name the file's own headers and the way out for a table of one area,
    with the code of the store's own (first) top area as the example."""
    own = [header for index, header in enumerate(columns.source.headers) if index != columns.index["period"]]
    headers = ", ".join(checks.shown_header(header) for header in own if header.strip())
    top = con.execute("select min(code) from store.areas where parent_code is null").fetchone()[0]
    return Problem(columns.source.name, 1, None, None, "no_area", {"found": headers, "example": top or "32.73"})


def add_area(con: duckdb.DuckDBPyConnection, code: str) -> None:
    """Every row of `checked` is of the area `code` (`--area`)."""
    con.execute(
        "create or replace temp table checked as "
        "select *, $code::varchar as area_code_value, null::varchar as area_code_problem from checked",
        {"code": code},
    )


def education_required(checked: checks.Checked, age: str | None) -> list[checks.Check]:
    """Education is asked from age 5: a file with education must give it there (everywhere, without ages)."""
    if "education" not in checked.columns.index:
        return []
    from_age = f"and {age}_value.age_from >= 5" if age else ""
    select = (
        f"select first_row, rows, '', 'education_required', null from checked where education_text is null {from_age}"
    )
    return [checks.on_field(checked, "education", select)]


def cells_counted_once(checked: checks.Checked, age: str | None) -> checks.Check:
    """Each cell once: rows may add up into one cell (85+ and 80-84 into 75+; DIPLOMA I/II and DIPLOMA III
    into Diploma I-III) only where what they cover as published does not overlap. A row repeating an earlier
    one's cell with the same count is a copy, refused; with another count, the source gave two rows one label
    (published tables do): they are added together and reported (repeated_cells)."""
    index = checked.columns.index
    period = "period" if checked.columns.fields["period"].required else None  # named by the file's own columns
    keys = [name for name in (period, "area_code", "sex", age, "education") if name and name in index]
    cell = ["period_value", "area_code_value"] + (["sex_value"] if "sex" in index else [])
    covers = []
    if age:
        cell.append(f"{age}_value.age_from")
        covers.append((f"{age}_value.part_from", f"{age}_value.part_to"))
    if "education" in index:
        cell.append("education_value")
        covers.append(("coalesce(education_part(education_text), 0)", "coalesce(education_part(education_text), 999)"))
    if not covers:
        covers.append(("0", "0"))
    return checks.overlapping(checked, keys, cell, covers, count="persons_value")


def repeated_cells(con: duckdb.DuckDBPyConnection, checked: checks.Checked, age: str | None) -> tuple:
    """The rows (their numbers, in order) that give one cell, as published, more than once."""
    index = checked.columns.index
    cell = ["period_value", "area_code_value"] + (["sex_value"] if "sex" in index else [])
    cell += [f"{age}_value"] if age else []
    cell += ["education_text"] if "education" in index else []
    found = con.execute(f"""
        select list(first_row order by first_row)
        from checked
        group by {", ".join(cell)}
        having count(*) > 1
        order by min(first_row)
    """).fetchall()
    return tuple(tuple(rows) for (rows,) in found)


def empty_means_all(con: duckdb.DuckDBPyConnection, totalling: list[str]) -> None:
    """On a totals row (Jumlah in one of its columns), an empty cell of another such column totals it too:
    "Jumlah;;;190" is the total of every row."""
    any_total = " or ".join(f"{name}_problem = 'totals'" for name in totalling)
    con.execute(
        "update checked set "
        + ", ".join(f"{name}_problem = if({name}_text is null, 'totals', {name}_problem)" for name in totalling)
        + f" where {any_total}"
    )


def totals_add_up(checked: checks.Checked, totalling: list[str]) -> checks.Check:
    """A totals row (Jumlah/Total in the column of a field of `totalling`) equals the sum of the rows of its
    period that agree with it on every other such field."""
    value = {name: (f"{name}_value.age_from" if name.startswith("age") else f"{name}_value") for name in totalling}
    is_total = {name: f"{name}_problem = 'totals'" for name in totalling}
    any_total = " or ".join(f"totals.{condition}" for condition in is_total.values())
    agrees = " and ".join(
        f"(totals.{is_total[name]} or parts.{value[name]} is not distinct from totals.{value[name]})"
        for name in totalling
    )
    no_total = " and ".join(f"parts.{name}_problem is null" for name in totalling)
    select = f"""
        select totals.first_row, 1, totals.persons_text,
            if(totals.persons_value = coalesce(sum(parts.persons_value), 0), null, 'totals_sum'),
            map {{'sum': coalesce(sum(parts.persons_value), 0)::bigint::varchar}}
        from checked as totals
        left join checked as parts
            on parts.period_value is not distinct from totals.period_value and {agrees} and {no_total}
        where {any_total}
        group by totals.first_row, totals.persons_text, totals.persons_value
    """
    return checks.Check(checked.columns.label("persons"), select, {})


def drop_area_totals(con: duckdb.DuckDBPyConnection, checked: checks.Checked, totalling: list[str]) -> int:
    """Rows of `exact` for an area whose parts the file also holds (in the same period) total those parts:
    refuse them unless equal to the sum of the finest parts, then drop them. Returns how many were checked."""
    con.execute("""
        create or replace temp table nested as
        select exact.*, anc.code as part_code
        from exact
        join store.area_ancestors as anc
            on anc.ancestor_code = exact.area_code and anc.depth > 0
        join (select distinct period, area_code from exact) as held
            on held.period = exact.period and held.area_code = anc.code
    """)
    con.execute("""
        create or replace temp table area_totals as
        with leaves as (
            select * from exact
            where (period, area_code) not in (select period, area_code from nested)
        )
        select
            totals.first_row,
            totals.persons,
            coalesce(sum(leaves.persons), 0) as parts
        from exact as totals
        left join store.area_ancestors as anc
            on anc.ancestor_code = totals.area_code
        left join leaves
            on leaves.area_code = anc.code
            and leaves.period = totals.period
            and leaves.sex is not distinct from totals.sex
            and leaves.age_from is not distinct from totals.age_from
            and leaves.education is not distinct from totals.education
        where (totals.period, totals.area_code) in (select period, area_code from nested)
        group by totals.first_row, totals.persons
    """)
    select = """
        select first_row, 1, persons::bigint::varchar,
            if(persons = parts, null, 'totals_sum'), map {'sum': parts::bigint::varchar}
        from area_totals
    """
    checks.refuse_wrong_values(
        con, checked, [checks.Check(checked.columns.label("area_code"), select, {})], accept_totals=totalling
    )
    totals = con.execute("select count(distinct first_row) from area_totals").fetchone()[0]
    con.execute("delete from exact where (period, area_code) in (select period, area_code from nested)")
    return totals


def population_rows(cells, dimensions: tuple[str, ...]):
    """A Staged.load that adds `cells` as the dataset being recorded, in place of the population datasets it
    supersedes: the earlier ones of the same dimensions, and the synthetic ones."""

    def load(copy: duckdb.DuckDBPyConnection, dataset_id: int) -> int:
        copy.execute(
            "delete from population where dataset_id in "
            "(select id from datasets where id <> $id and (synthetic or dimensions = $dimensions))",
            {"id": dataset_id, "dimensions": list(dimensions)},
        )
        copy.register("staged", cells)
        copy.execute("insert into population select $id, * from staged", {"id": dataset_id})
        copy.unregister("staged")
        return len(cells)

    return load


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
        create or replace temp table cells as
        with shortfall as (
            select round(sum(persons)) - sum(floor(persons)) as units from exact
        )
        select
            period, area_code, sex, age_from, age_to, education,
            (floor(persons) + (row_number() over (order by persons - floor(persons) desc, period, area_code, sex,
                                                   age_from, education) <= shortfall.units)::int)::bigint as persons,
            first_row
        from exact, shortfall
    """)
