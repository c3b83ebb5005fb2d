"""Wide tables turned into the long tables they hold.

A published table is often wide: one column per sex (Laki-laki, Perempuan, L, P), per age group (0-4 ...
75+), per education level (SD/sederajat, Dukcapil's TAMAT SD/SEDERAJAT, ...) or per year (2019, 2020, ...),
told by its header (the bottom-most header cell of the column, read by the same value rules as a long
file's cells). Several groups may stand side by side (sex, then age groups, then religion or blood group,
which the product does not use and leaves aside). Each group of the product becomes a long table of
the identifying columns (those left of the first group: area codes and names, periods), a column of the
group's values (jenis_kelamin, kelompok_umur, pendidikan or tahun; with tahun before it where a year
heads the group's columns from above) and the count, jumlah.

Total columns (Jumlah, Total, L+P, Laki-laki+Perempuan) are not loaded; each is checked against the sum
of the group's columns beside it, row by row. Totals rows (Jumlah, Total, or a kota/kabupaten/provinsi
whose counts are the sum of the other rows) stay in the tables and are listed in Source.total_rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import duckdb

from sensus.ingest.checks import Columns, column_letter, header_key, shown_header, text_macro
from sensus.ingest.problems import Problem
from sensus.ingest.readers import NUMBER, YEAR, Source
from sensus.ingest.rules import TOTALS_WORDS, expected_values

# group -> the header of its column in a long table, as a field's alias names it
DIMENSIONS = {"sex": "jenis_kelamin", "age_group": "kelompok_umur", "education": "pendidikan", "year": "tahun"}
TOTAL_HEADERS = {header_key(word) for word in TOTALS_WORDS}
TOTAL_PREFIXES = ("jumlah", "total", "jml")
SEX_SUM = re.compile(r"\s*(?:\+|&|\bdan\b)\s*", re.IGNORECASE)  # "L+P", "Laki-laki dan Perempuan"
AREA_ABOVE = r"^(kota|kabupaten|kab\.?|provinsi|prov\.?)\s"  # a totals row may name the kota it sums


@dataclass(frozen=True)
class Column:
    """A column of the wide file: its position, its bottom-most header cell and a year heading it from above."""

    index: int
    label: str
    year: str | None


def long_tables(con: duckdb.DuckDBPyConnection, source: Source) -> list[Source]:
    """The long tables `source` holds, each a Source whose `relation` is a temp table in `con`.

    Needs the relation `source` (as readers.read makes it) and the rules (rules.register). A long file comes
    back as one table, `source` itself (relation "source"). A wide file comes back as one table per group
    of columns, in the order of the groups in the file, each relation named long_<group> (long_sex,
    long_age_group, long_education, long_year) with columns _row (the user's row), c0.. (the identifying
    columns as in the file, then tahun where a year heads the group's columns, then the group's column
    holding each column's header as written, then jumlah holding the cell as written); its headers are the
    file's for the identifying columns, then "tahun", "jenis_kelamin", "kelompok_umur" or "pendidikan",
    and "jumlah". One row of the file gives one row per column of the group, in the file's column order.

    Every table's `total_rows` lists the _row of the file's totals rows (left in the relation, for the
    stage to check rather than load); its `problems` hold, naming the file's own row and column, the counts
    that are no whole numbers of 0 or more and the total columns that are not the sum of their group's
    columns; the problems `source` had and the columns headed like an age group the store does not know
    (65+ where its top group is 75+) go to the first table. To stage each table:

        for table in long_tables(con, source):
            use(con, table)  # `source` is now this table
            staged = stage(con, table)
    """
    columns = classify(con, source)
    groups: dict[str, list[Column]] = {}
    for kind, column in columns:
        if kind in DIMENSIONS:
            groups.setdefault(kind, []).append(column)
    groups = {kind: members for kind, members in groups.items() if len(members) > 1}
    problems = unknown_age_groups(con, source, columns)
    if not groups:
        return [replace(source, total_rows=total_rows(con, source, 0, []), problems=source.problems + problems)]
    checks = [
        (column, parts) for kind, column in columns if kind == "total" and (parts := summed(column, columns, groups))
    ]
    counted = [column for members in groups.values() for column in members]
    first = min(column.index for column in counted + [total for total, _ in checks])
    totals = total_rows(con, source, first, counted)
    # Every other column goes along with each table (the area's columns, a tahun column wherever it stands);
    # the stage reads what it knows of them and names the rest as ignored.
    identifying = [column.index for kind, column in columns if kind is None]
    tables = []
    for kind, members in groups.items():
        relation = f"long_{kind}"
        with_year = any(column.year for column in members) and kind != "year"
        melt(con, source, relation, identifying, members, with_year)
        checked = members + [total for total, parts in checks if parts[0] in members]
        found = count_problems(con, source, checked) + total_problems(con, source, checks, members)
        headers = (
            [source.headers[index] for index in identifying] + ["tahun"] * with_year + [DIMENSIONS[kind], "jumlah"]
        )
        table = Source(
            source.name,
            source.format,
            headers,
            [row[1] for row in con.execute(f"describe {relation}").fetchall()[1:]],
            con.execute(f"select count(*) from {relation}").fetchone()[0],
            found + ([] if tables else source.problems + problems),
            source.title,
            [headers],
            totals,
            relation,
        )
        tables.append(table)
    return tables


def use(con: duckdb.DuckDBPyConnection, table: Source) -> None:
    """Make `table` (one of long_tables) the relation `source`, as the stages read it."""
    if table.relation == "source":
        return
    kind = con.execute("select table_type from information_schema.tables where table_name = 'source'").fetchone()
    if kind is not None:
        con.execute(f"drop {'view' if kind[0] == 'VIEW' else 'table'} source")
    con.execute(f"create temp view source as select * from {identifier(table.relation)}")


def identifier(name: str) -> str:
    if not re.fullmatch(r"long_[a-z_]+", name):
        raise ValueError(f"not a long table: {name!r}")
    return name


def classify(con: duckdb.DuckDBPyConnection, source: Source) -> list[tuple[str | None, Column]]:
    """Each column with its kind: a group of DIMENSIONS, "total", "age_like" (headed like an age group the
    store does not know) or None. A bilingual header (Laki-laki/Male) is read by its part before the slash
    where the whole is not a value, and that part is the column's label."""
    stack = source.header_stack or [source.headers]
    cells = [
        [(row[index] if index < len(row) else "").strip() for row in stack] for index in range(len(source.headers))
    ]
    headers = [next((cell for cell in reversed(column) if cell), "") for column in cells]
    terms = {*headers, *(header.split("/")[0].strip() for header in headers)}
    terms |= {part for term in terms for part in SEX_SUM.split(term)}
    read = {
        term: found
        for term, *found in con.execute(
            """
            select term, sex_value(term) is not null, age_group_value(term).age_from is not null,
                education_value(term) is not null, regexp_full_match(age_label(term), '[0-9]{1,3}(-[0-9]{1,3}|\\+)')
            from (select unnest($terms) as term)
            """,
            {"terms": sorted(terms)},
        ).fetchall()
    }
    kinds = []
    for index, (column, header) in enumerate(zip(cells, headers)):
        label = header if any(read[header][:3]) else header.split("/")[0].strip()
        sex, age, education, age_like = read[label]
        parts = SEX_SUM.split(label)
        key = header_key(label)
        if not label or NUMBER.fullmatch(label) and not YEAR.fullmatch(label):
            kind = None  # 1, 2: column numbers or codes, not sexes or education codes
        elif (
            key in TOTAL_HEADERS
            or key.split("_")[0] in TOTAL_PREFIXES
            or len(parts) > 1
            and all(read[part][0] for part in parts)
        ):
            kind = "total"
        elif YEAR.fullmatch(label):
            kind = "year"
        else:
            kind = next((name for name, found in zip(DIMENSIONS, (sex, age, education)) if found), None)
            kind = kind or ("age_like" if age_like else None)
        year = next((cell for cell in column[:-1] if YEAR.fullmatch(cell) and cell != header), None)
        kinds.append((kind, Column(index, label, year)))
    return kinds


def summed(total: Column, columns: list[tuple[str | None, Column]], groups: dict[str, list[Column]]) -> list[Column]:
    """The columns a total column sums: those of the group right before it (of the same year), else right
    after it; none when no group's column stands beside it."""
    kinds = {column.index: kind for kind, column in columns}
    for step in (-1, 1):
        beside = total.index + step
        kind = kinds.get(beside)
        if kind in groups:
            year = next(column.year for column in groups[kind] if column.index == beside)
            run, position = [], beside
            while kinds.get(position) == kind:
                column = next(column for column in groups[kind] if column.index == position)
                if column.year != year:
                    break
                run.append(column)
                position += step
            return sorted(run, key=lambda column: column.index)
    return []


def label(source: Source, index: int) -> str:
    return Columns(source, {}, {}).column_label(index)


def text(source: Source, index: int) -> str:
    return f"trimmed_text({text_macro(source.types[index])}(c{index}))"


def filled_rows(source: Source) -> str:
    return " or ".join(f"c{index} is not null" for index in range(len(source.headers)))


def melt(con, source: Source, relation: str, columns: list[int], members: list[Column], with_year: bool) -> None:
    """The long table `relation`: per row of `source` and column of `members`, the identifying `columns`,
    the column's year (with_year), its header and its cell."""
    identifying = [f"c{index}" for index in columns]
    parts = [
        f"select _row, {column.index} as _column, "
        + "".join(f"{name}, " for name in identifying)
        + (f"$years[{position + 1}] as _year, " if with_year else "")
        + f"$labels[{position + 1}] as _label, {text(source, column.index)} as _count from source "
        f"where {filled_rows(source)}"
        for position, column in enumerate(members)
    ]
    names = [*identifying, *(["_year"] if with_year else []), "_label", "_count"]
    con.execute(
        f"create or replace temp table {identifier(relation)} as select _row, "
        + ", ".join(f"{name} as c{position}" for position, name in enumerate(names))
        + f" from ({' union all '.join(parts)}) order by _row, _column",
        {"labels": [column.label for column in members], **({"years": [c.year for c in members]} if with_year else {})},
    )


def count_problems(con, source: Source, columns: list[Column]) -> list[Problem]:
    """The cells of `columns` that are no counts, each problem at its first row with the count of the others."""
    if not columns:
        return []
    union = " union all ".join(
        f"select {column.index} as position, _row, {text(source, column.index)} as t from source "
        f"where {filled_rows(source)}"
        for column in columns
    )
    rows = con.execute(f"""
        select position, min(_row), t, problem, count(*) - 1
        from (select *, field_problem(t, true, count_problem(t, count_value(t))) as problem from ({union}))
        where problem is not null
        group by position, t, problem
        order by min(_row), position
    """).fetchall()
    return [
        Problem(source.name, row, label(source, position), value or "", problem, {}, more)
        for position, row, value, problem, more in rows
    ]


def total_problems(con, source: Source, checks: list[tuple[Column, list[Column]]], members: list[Column]):
    """The rows where a total column of `members` is not the sum of its columns."""
    found = []
    for total, parts in checks:
        if parts[0] not in members:
            continue
        values = [f"count_value({text(source, column.index)})" for column in [total, *parts]]
        rows = con.execute(f"""
            select _row, {text(source, total.index)}, ({" + ".join(values[1:])})::bigint
            from source
            where ({" and ".join(f"{value} is not null" for value in values)})
                and {values[0]} <> {" + ".join(values[1:])}
            order by _row
        """).fetchall()
        columns = ", ".join(f"{column_letter(column.index)} ({shown_header(column.label)})" for column in parts)
        found += [
            Problem(
                source.name, row, label(source, total.index), value, "total_column", {"columns": columns, "sum": sum_}
            )
            for row, value, sum_ in rows
        ]
    return found


def unknown_age_groups(con, source: Source, columns: list[tuple[str | None, Column]]) -> list[Problem]:
    """Columns headed like an age group that the store does not know (65+ where the top group is 75+)."""
    groups = expected_values(con)["age_group"]
    return [
        Problem(source.name, None, label(source, column.index), column.label, "age_group", groups)
        for kind, column in columns
        if kind == "age_like"
    ]


def total_rows(con, source: Source, first: int, counted: list[Column]) -> list[int]:
    """The _row of each totals row: its first cell among the identifying columns (all columns of a long
    file) is a totals word, or names a kota, kabupaten or provinsi and its counts in `counted` are the sums of
    the other rows'."""
    identifying = range(first or len(source.headers))
    first_cell = "coalesce(" + ", ".join(text(source, index) for index in identifying) + ")"
    words = "'^(jumlah|total|jml)\\b'"
    by_word = f"lower({first_cell}) in (select term from totals_terms) or regexp_matches(lower({first_cell}), {words})"
    rows = [row for (row,) in con.execute(f"select _row from source where {by_word} order by _row").fetchall()]
    if not counted:
        return rows
    counts = ", ".join(f"count_value({text(source, column.index)}) as v{column.index}" for column in counted)
    same = " and ".join(
        f"candidate.v{column.index} = (select sum(v{column.index}) from parts where parts._row <> candidate._row)"
        for column in counted
    )
    sums = con.execute(
        f"""
        with parts as (
            select _row, {counts} from source where not coalesce({by_word}, false) and ({filled_rows(source)})
        ),
        named as (select _row from source where regexp_matches(lower({first_cell}), $above))
        select _row from parts as candidate where _row in (select _row from named) and {same}
    """,
        {"above": AREA_ABOVE},
    ).fetchall()
    return sorted(rows + [row for (row,) in sums])
