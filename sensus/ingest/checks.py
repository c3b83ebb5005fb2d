"""Checking a file against the fields of its kind, in three steps that each take what the one before gave:

1. `match` pairs the file's columns with the fields (a column named twice, or two columns for one
   field, are problems); `build` refuses those and the missing columns a kind names, and otherwise
2. creates the table `checked`: per row (a table of counts) or per distinct combination (person
   rows), each field's `<field>_text`, `<field>_value` and `<field>_problem`, from the macros of the
   field's rule (rules.sql) called by name (a kind may add `<field>_details`, the values its problem names);
3. `refuse_wrong_values` runs every field's rule, the formula check of the columns not used and the
   kind's own Checks, and refuses the file with the problems found, the first rows first.

A problem is reported at the first row where it occurs, with the number of other rows that share it.
Only field names, rule names and catalog keys from this package go into SQL, never text from the file.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

import duckdb

from sensus.ingest.fields import FIELDS, Field
from sensus.ingest.problems import SHOWN_PROBLEMS, IngestError, Problem, printable
from sensus.ingest.readers import Source
from sensus.ingest.rules import expected_values

TEXT_OF_TYPE = {"VARCHAR": "trimmed_text", "FLOAT": "number_text", "DOUBLE": "number_text"}


def identifier(name: str) -> str:
    """`name` as it may go into SQL: a name of this package's own, never input."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"not an identifier: {name!r}")
    return name


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def shown_header(header: str) -> str:
    return f'"{printable(header, 40)}"'


# ---------------------------------------------------------------- 1. columns


@dataclass(frozen=True)
class Columns:
    """The file's columns matched to the fields of a kind: `index` maps a field to its column."""

    source: Source
    fields: Mapping[str, Field]
    index: Mapping[str, int]
    problems: tuple[Problem, ...] = ()

    def label(self, *names: str) -> str:
        """The columns of fields `names` as the file heads them."""
        return ", ".join(self.column_label(self.index[name]) for name in names if name in self.index)

    def column_label(self, index: int) -> str:
        header = self.source.headers[index]
        return printable(header, 40) if header.strip() else f"{column_letter(index)} (no header)"

    def without(self, *names: str) -> Columns:
        return replace(self, index={name: i for name, i in self.index.items() if name not in names})

    @property
    def ignored(self) -> tuple[str, ...]:
        used = set(self.index.values())
        headers = self.source.headers
        return tuple(self.column_label(i) for i in range(len(headers)) if i not in used and headers[i].strip())

    def missing(self, *alternatives: str) -> list[Problem]:
        """A problem when the file has none of the columns `alternatives` (one field, or two that
        stand for each other)."""
        if any(name in self.index for name in alternatives):
            return []
        wanted = [self.fields[name].shown for name in alternatives]
        found = ", ".join(shown_header(header) for header in self.source.headers if header.strip())
        key = ("missing" if len(wanted) == 1 else "missing_either") + ("" if found else "_no_header")
        names = dict(zip(("column", "other"), wanted))
        return [Problem(self.source.name, 1, None, None, key, {**names, "found": found})]


def header_key(header: str) -> str:
    """A header as fields name their aliases: lower case, runs of other characters as _."""
    return re.sub(r"[^0-9a-z]+", "_", header.strip().lower()).strip("_")


def match(source: Source, kind: str) -> Columns:
    """Pair the columns with the fields. A header used twice is a problem only where a field would read it;
    of several columns for an `alike` field the one whose header comes first among its aliases is used."""
    fields = {field.name: field for field in FIELDS[kind]}
    index: dict[str, int] = {}
    problems: list[Problem] = []
    by_header: dict[str, int] = {}
    columns = Columns(source, fields, index)
    for position, header in enumerate(source.headers):
        key = header_key(header)
        if not key:
            continue
        label = columns.column_label(position)
        matched = next((field for field in fields.values() if key in (field.name, *field.aliases)), None)
        if key in by_header:
            if matched is not None:
                letters = {"first": column_letter(by_header[key]), "second": column_letter(position), "name": key}
                problems.append(Problem(source.name, 1, label, header, "header_twice", letters))
            continue
        by_header[key] = position
        if matched is None:
            continue
        if matched.name in index and matched.alike:
            names = (matched.name, *matched.aliases)
            if names.index(key) < names.index(header_key(source.headers[index[matched.name]])):
                index[matched.name] = position
            continue
        if matched.name in index:
            other = index[matched.name]
            given = {
                "field": matched.shown,
                "other": column_letter(other),
                "header": shown_header(source.headers[other]),
            }
            problems.append(Problem(source.name, 1, label, header, "field_twice", given))
            continue
        index[matched.name] = position
    return replace(columns, problems=tuple(problems))


# ---------------------------------------------------------------- 2. the table `checked`


@dataclass(frozen=True)
class Checked:
    """The table `checked` in the connection, built from `columns`, and the rows read."""

    columns: Columns
    rows_read: int


def build(con: duckdb.DuckDBPyConnection, columns: Columns, per_row: bool, problems: list[Problem]) -> Checked:
    """Refuse the file for the problems of its columns and `problems`, or create `checked`."""
    source = columns.source
    if columns.problems or problems or source.problems:
        raise IngestError([*columns.problems, *problems, *source.problems])
    not_empty = " or ".join(f"c{index} is not null" for index in range(len(source.headers)))
    raw = ", ".join(f"c{index} as {identifier(name)}_raw" for name, index in columns.index.items())
    if per_row:
        groups = f"select _row as first_row, 1 as rows, {raw} from source where {not_empty}"
    else:
        groups = f"select {raw}, count(*) as rows, min(_row) as first_row from source where {not_empty} group by all"
    con.execute(f"create or replace temp table groups as {groups}")
    rows_read = con.execute("select coalesce(sum(rows), 0)::bigint from groups").fetchone()[0]
    if not rows_read:
        raise IngestError([Problem(source.name, None, None, None, "only_empty_rows")])

    texts, values, problems_sql = [], [], []
    for name, index in columns.index.items():
        rule = identifier(columns.fields[name].rule)
        required = "true" if columns.fields[name].required else "false"
        texts.append(f"{text_macro(source.types[index])}({name}_raw) as {name}_text")
        values.append(f"{rule}_value({name}_text) as {name}_value")
        problems_sql.append(
            f"field_problem({name}_text, {required}, {rule}_problem({name}_text, {name}_value)) as {name}_problem"
        )
    con.execute(f"""
        create or replace temp table checked as
        with texts as (select first_row, rows, {", ".join(texts)} from groups),
        read_values as (select *, {", ".join(values)} from texts)
        select *, {", ".join(problems_sql)} from read_values
    """)
    return Checked(columns, rows_read)


def text_macro(column_type: str) -> str:
    """The macro that reads a column of this type as text."""
    return "number_text" if column_type.startswith("DECIMAL") else TEXT_OF_TYPE.get(column_type, "typed_text")


# ---------------------------------------------------------------- 3. checks and refusal


@dataclass(frozen=True)
class Check:
    """`select` gives (row, rows, value, problem, details): problem is a key under ingest.expected, null
    when the row is right, and details a map of the values it names besides `values`. `label` names
    the column(s)."""

    label: str
    select: str
    values: Mapping[str, object] = field(default_factory=dict)


def duplicates(checked: Checked, names: list[str], key: str, **values) -> Check:
    """Refuse a second row with the same values of fields `names`."""
    keys = ", ".join(f"{identifier(name)}_value" for name in names)
    key_text = " || ', ' || ".join(f"coalesce({name}_text, '')" for name in names)
    fine = " and ".join(f"{name}_problem is null" for name in names)
    select = f"""
        select first_row, rows, {key_text},
            case when row_number() over keys > 1 then '{identifier(key)}' end,
            map {{'row': (min(first_row) over keys)::varchar}}
        from checked
        where {fine}
        window keys as (partition by {keys} order by first_row)
    """
    return Check(checked.columns.label(*names), select, values)


def overlapping(
    checked: Checked, names: list[str], cell: list[str], covers: list[tuple[str, str]], count: str | None = None
) -> Check:
    """Refuse a row whose cell (the expressions `cell` of fields `names`, as the store keeps them) an earlier
    row already counts: the same published value again (once_combination), or a published group that
    overlaps an earlier one read into the same cell (overlapping); `covers` are (from, to) expressions of
    what a row covers as published (80-84 and 85+ both go into 75+ without overlapping). With `count`, the
    same published value again with another count is no problem (the kind adds them and says so)."""
    key_text = " || ', ' || ".join(f"coalesce({identifier(name)}_text, '')" for name in names)
    fine = " and ".join(f"{name}_problem is null" for name in names)
    columns = [f"{expression} as cell{i}" for i, expression in enumerate(cell)]
    columns += [f"{low} as low{i}, {high} as high{i}" for i, (low, high) in enumerate(covers)]
    same_cell = " and ".join(f"earlier.cell{i} is not distinct from later.cell{i}" for i in range(len(cell)))
    overlap = " and ".join(
        f"earlier.low{i} <= later.high{i} and later.low{i} <= earlier.high{i}" for i in range(len(covers))
    )
    same_group = " and ".join(
        f"earlier.low{i} = later.low{i} and earlier.high{i} = later.high{i}" for i in range(len(covers))
    )
    if count:
        columns.append(f"{count} as count")
        overlap = f"{overlap} and not ({same_group} and earlier.count is distinct from later.count)"
    select = f"""
        with rows_read as (select first_row, rows, {key_text} as shown, {", ".join(columns)} from checked where {fine})
        select later.first_row, any_value(later.rows), any_value(later.shown),
            if(arg_min({same_group}, earlier.first_row), 'once_combination', 'overlapping'),
            map {{'row': min(earlier.first_row)::varchar}}
        from rows_read as later
        join rows_read as earlier on earlier.first_row < later.first_row and {same_cell} and {overlap}
        group by later.first_row
    """
    return Check(checked.columns.label(*names), select, {"fields": ", ".join(names)})


def at_most(checked: Checked, smaller: str, larger: str) -> Check:
    """Refuse a row whose count `smaller` is above its count `larger`."""
    select = f"""
        select first_row, rows, {identifier(smaller)}_text,
            case when {smaller}_value > {identifier(larger)}_value then 'at_most' end, map {{'limit': {larger}_text}}
        from checked
    """
    return Check(checked.columns.label(smaller), select, {"field": checked.columns.fields[larger].shown})


def on_field(checked: Checked, name: str, select: str) -> Check:
    """A check of the kind's own on the column of field `name`."""
    return Check(checked.columns.label(name), select)


def refuse_wrong_values(
    con: duckdb.DuckDBPyConnection, checked: Checked, checks: list[Check], accept_totals: Collection[str] = ()
) -> None:
    """Raise IngestError when a field's rule, the formula check of the unused columns or one of
    `checks` finds a problem: the first ones first, with the count of them all. A totals row is no problem
    in the fields `accept_totals` (the kind checks it)."""
    columns = checked.columns
    rule_values = expected_values(con)
    checked_columns = {name for (name,) in con.execute("select column_name from (describe checked)").fetchall()}
    every = [
        Check(
            columns.label(name),
            f"select first_row, rows, {name}_text, "
            + (f"nullif({name}_problem, 'totals'), " if name in accept_totals else f"{name}_problem, ")
            + (f"{name}_details" if f"{name}_details" in checked_columns else "null")
            + " from checked",
            rule_values.get(columns.fields[name].rule, {}),
        )
        for name in columns.index
    ]
    used = set(columns.index.values())
    every += [
        Check(
            columns.column_label(index),
            f"select _row, 1, trimmed_text(c{index}), case when is_formula(trimmed_text(c{index})) then 'formula' end, "
            "null from source",
        )
        for index, column_type in enumerate(columns.source.types)
        if index not in used and column_type == "VARCHAR"
    ]
    every += checks
    union = " union all ".join(
        f"select {number} as check_number, * from ({check.select}) as found(row, rows, value, problem, details)"
        for number, check in enumerate(every)
    )
    summary = f"""
        select check_number, min(row) as row, value, problem, details, sum(rows) - 1 as more_rows
        from ({union})
        where problem is not null
        group by check_number, value, problem, details
    """
    total = con.execute(f"select count(*) from ({summary})").fetchone()[0]
    if not total:
        return
    rows = con.execute(f"{summary} order by row, check_number limit {SHOWN_PROBLEMS}").fetchall()
    problems = [
        Problem(
            columns.source.name,
            row,
            every[number].label,
            "" if value is None else value,
            problem,
            {**every[number].values, **(details or {})},
            int(more_rows),
        )
        for number, row, value, problem, details, more_rows in rows
    ]
    raise IngestError(problems, total=total)
