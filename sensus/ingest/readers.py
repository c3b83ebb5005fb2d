"""Reading an input file into DuckDB as a relation `source`: CSV, Parquet or XLSX, told apart by
their content, and refused early when too large, not a table, not UTF-8, or a zip bomb.

A CSV or XLSX file may be a table as BPS publishes it: title rows above the header, a header over two or
three rows (a spanning "Jenis Kelamin" over "Laki-laki" and "Perempuan": each column is headed by its
bottom-most cell, Source.header_stack keeps the rows), a row numbering the columns (1) (2) (3), and notes
below the table ("Sumber: ...", "Catatan: ..."). The header is found as find_table says, unless the user
names its row; the title is kept on the Source, title and note rows are not in `source`. A table whose
title, header or notes say its counts are in thousands is refused: its numbers are not persons.
An XLSX sheet is read as a stream, and refused once the cells read pass a ceiling (SENSUS_MAX_XLSX_CELLS).

Every row keeps `_row`, its number as the user sees it in a spreadsheet (row 1 is the file's first line).
The original columns are renamed c0, c1, ... so that no header text ever becomes SQL. A file refused
here raises IngestError with one Problem keyed under ingest.file (or ingest.expected, for a cell).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import pyarrow as pa

from sensus.ingest.problems import SHOWN_PROBLEMS, IngestError, Problem, printable, shown

DEFAULT_MAX_INPUT_MB = 100
UNPACKED_FACTOR = 10  # an XLSX may unpack to at most this many times the size limit
DEFAULT_MAX_XLSX_CELLS = 20_000_000  # a sheet with more filled cells is refused where it passes them
XLSX_CHUNK_CELLS = 250_000  # the data rows of a sheet are written to `source` about this many cells at a time
CHUNK = 1 << 22

HEAD_BYTES = 1 << 16  # the start of a CSV file, read first to find its delimiter, title and header
HEADER_SCAN = 30  # the rows that are not empty looked at for a title and the header
MAX_HEADER_ROWS = 3
NOTES_SCAN = 100  # the rows at the end of a table looked at for notes
NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*|-")  # a cell read as a number (codes with dots too) or BPS's dash for nil
YEAR = re.compile(r"(19|20)[0-9]{2}")  # a number that heads a column of a table by year
COLUMN_NUMBERS = re.compile(r"\(\s*[0-9]+\s*\)")  # BPS numbers the columns under the header: (1) (2) (3)
THOUSANDS = re.compile(r"\bribu(an)?\b|\bthousands?\b|(?<![0-9.,])'?000\b", re.IGNORECASE)
# The first cell of a note below a table (lower case, as DuckDB's regexp_matches reads it): notes start there.
NOTE = r'^\s*"?\s*(\*|[0-9]+\)|(sumber|source|catatan|note|notes|keterangan)\s*(/\s*[a-z]+\s*)?:)'

FORMATS = {b"PAR1": "parquet", b"PK\x03\x04": "xlsx"}
NOT_TABLES = {  # signature -> what the file is (a key under ingest.file.not_table)
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"%PDF": "pdf",
    b"\x1f\x8b": "gzip",
    b"PK\x05\x06": "empty_zip",
    b"\xd0\xcf\x11\xe0": "xls",
    b"\xff\xfe": "utf16",
    b"\xfe\xff": "utf16",
}


def number_setting(variable: str, default: float) -> float:
    """The number set in the environment `variable`, or `default` where it is unset or not a number."""
    try:
        return float(os.environ.get(variable, default))
    except ValueError:
        return default


def max_input_bytes() -> int:
    return int(number_setting("SENSUS_MAX_INPUT_MB", DEFAULT_MAX_INPUT_MB) * 1_000_000)


def max_xlsx_cells() -> int:
    return int(number_setting("SENSUS_MAX_XLSX_CELLS", DEFAULT_MAX_XLSX_CELLS))


@dataclass
class Source:
    """A table read from the user's file: the relation `relation` in the connection (_row, c0, c1, ...),
    with its header names in column order."""

    name: str
    format: str
    headers: list[str]
    types: list[str] = field(default_factory=list)
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)  # found while reading, told with those of the columns
    title: str | None = None  # the rows above the header, one line each
    header_stack: list[list[str]] = field(default_factory=list)  # the header rows, top first, spans filled
    total_rows: list[int] = field(default_factory=list)  # the _row of each totals row (see layouts.long_tables)
    relation: str = "source"


@dataclass
class Table:
    """Where the table starts among the first rows of a file (each row its number and cells)."""

    titles: list[tuple[int, list]]
    header: list[tuple[int, list]]
    data_index: int  # the index of the first row after the header (and the row numbering its columns)


def read(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    name: str,
    sheet: str | None = None,
    progress=print,
    header_row: int | None = None,
) -> Source:
    """Create the relation `source` (_row, c0, c1, ...) in `con` from the file at `path`; `header_row`
    (1-based) is the row of the header, or of its first row, where the user names it."""

    def refuse(key: str, row=None, column=None, value=None, **values):
        """Refuse the file: `key` is under ingest.file (or, with a value, ingest.expected) in the catalog."""
        raise IngestError([Problem(name, row, column, value, key, values)])

    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as error:
        refuse("unopened", error=error.strerror or error)
    limit = max_input_bytes()
    if size > limit:
        refuse("too_large", size=size / 1e6, limit=round(limit / 1e6))
    if size == 0:
        refuse("empty")
    for signature, what in NOT_TABLES.items():
        if head.startswith(signature):
            refuse(f"not_table.{what}")
    kind = next((kind for signature, kind in FORMATS.items() if head.startswith(signature)), "csv")
    if sheet and kind != "xlsx":
        refuse("no_sheets", format=kind.upper())
    if header_row is not None and kind == "parquet":
        refuse("header_row_parquet")
    progress(f"reading {name} ({kind.upper()}, {size / 1e6:,.1f} MB)")
    if kind == "parquet":
        source = read_parquet(con, path, name, refuse)
    elif kind == "xlsx":
        source = read_xlsx(con, path, name, sheet, refuse, progress, header_row)
    else:
        source = read_csv(con, path, name, refuse, header_row)
    source.types = [row[1] for row in con.execute("describe source").fetchall()[1:]]
    source.rows = con.execute("select count(*) from source").fetchone()[0]
    if not source.rows:
        refuse("no_data_rows")
    return source


def column_names(count: int) -> list[str]:
    return [f"c{index}" for index in range(count)]


# ---------------------------------------------------------------- title, header and notes


def filled(cells: list) -> list[str]:
    return [cell.strip() for cell in cells if cell is not None and cell.strip()]


def is_text(cell: str) -> bool:
    return not NUMBER.fullmatch(cell) or bool(YEAR.fullmatch(cell))


def header_like(cells: list) -> bool:
    """Two cells or more, mostly text (years count as text: they head the columns of a table by year)."""
    values = filled(cells)
    return len(values) >= 2 and 2 * sum(map(is_text, values)) > len(values)


def continues_header(above: list, cells: list) -> bool:
    """A row of text under a header that spans columns: the row's first cell is empty (under a header that
    spans rows) and it heads a column where the row above is empty (under a header that spans columns)."""
    values = filled(cells)
    under_span = any(
        cell and cell.strip() and (index >= len(above) or not (above[index] or "").strip())
        for index, cell in enumerate(cells)
    )
    first_empty = not (cells[0] or "").strip()
    return bool(values) and all(map(is_text, values)) and under_span and first_empty and not numbers_columns(cells)


def numbers_columns(cells: list) -> bool:
    values = filled(cells)
    return len(values) >= 2 and all(COLUMN_NUMBERS.fullmatch(value) for value in values)


def find_table(rows: list[tuple[int, list]], header_row: int | None, refuse) -> Table:
    """The title rows, the header rows and where the data starts among `rows` (the first rows that are not
    empty): the header starts at row `header_row`; or at the first row like a header whose header rows are
    followed by a row with a number, where only title rows (one cell, or like a header) with fewer cells
    come before it; or else at the first row. A title or header in thousands refuses the file."""
    if header_row is not None:
        start = next((index for index, (number, _) in enumerate(rows) if number == header_row), None)
        if start is None:
            refuse("header_row_empty", number=header_row)
        table = table_from(rows, start)
    else:
        table, widest = table_from(rows, 0), 0
        for index, (_, cells) in enumerate(rows):
            if not header_like(cells) and len(filled(cells)) > 1:
                break
            found = table_from(rows, index)
            below = found.data_index < len(rows) and not all(map(is_text, filled(rows[found.data_index][1])))
            if header_like(cells) and below and len(filled(cells)) > widest:
                table = found
                break
            widest = max(widest, len(filled(cells)))
    for number, cells in table.titles + table.header:
        for cell in filled(cells):
            if THOUSANDS.search(cell):
                refuse("thousands", row=number, text=printable(cell))
    return table


def table_from(rows: list[tuple[int, list]], start: int) -> Table:
    """The table whose header starts at rows[start]: the rows continuing the header below it, then a row
    numbering the columns, if any."""
    end = start + 1
    while end < len(rows) and end - start < MAX_HEADER_ROWS and continues_header(rows[end - 1][1], rows[end][1]):
        end += 1
    return Table(rows[:start], rows[start:end], end + (end < len(rows) and numbers_columns(rows[end][1])))


def joined_headers(stack: list[list]) -> tuple[list[str], list[list[str]]]:
    """One header per column from the header rows `stack`, and the rows with a spanning cell repeated over
    the columns it spans: an upper cell left empty beside a filled one, where both columns have cells below,
    belongs to the span. A column's header is its bottom-most cell, as fields name their columns (Kecamatan,
    Laki-laki), or where that repeats (Laki-laki under 2019 and under 2020) its cells joined top down with
    " / " (2019 / Laki-laki)."""
    if len(stack) == 1:
        return [cell or "" for cell in stack[0]], [[cell or "" for cell in stack[0]]]
    width = max(map(len, stack))
    grid = [[(cells[index] or "").strip() if index < len(cells) else "" for index in range(width)] for cells in stack]
    for row in range(len(grid) - 1):
        below = grid[row + 1 :]
        for index in range(1, width):
            spanned = grid[row][index - 1] and any(cells[index] for cells in below)
            if not grid[row][index] and spanned and any(cells[index - 1] for cells in below):
                grid[row][index] = grid[row][index - 1]
    joined = [" / ".join(dict.fromkeys(cells[index] for cells in grid if cells[index])) for index in range(width)]
    bottom = [next((cells[index] for cells in reversed(grid) if cells[index]), "") for index in range(width)]
    return [low if bottom.count(low) == 1 else whole for low, whole in zip(bottom, joined)], grid


def title_text(table: Table) -> str | None:
    return "\n".join(" ".join(filled(cells)) for _, cells in table.titles) or None


def drop_notes(con, refuse, rejected: list[tuple[int, str]] = ()) -> int | None:
    """Remove from `source` the notes below the table, from the first row among its last NOTES_SCAN rows
    whose first cell starts like a note (or the first such line among `rejected` (line, text), for CSV lines
    that the reader refused) to the end; return that row's number. Notes saying the counts are in thousands
    refuse the file."""
    columns = ", ".join(f"nullif(trim(c{index}::varchar), '')" for index in range(source_width(con)))
    notes = con.execute(
        f"""
        with tail as (select * from source where rowid >= (select count(*) from source) - {NOTES_SCAN})
        select _row, concat_ws(' ', {columns}) from tail
        where _row >= (select min(_row) from tail where regexp_matches(lower(coalesce({columns}, '')), $note))
        """,
        {"note": NOTE},
    ).fetchall()
    notes += [(line, text) for line, text in rejected if re.search(NOTE, text.lower())]
    if not notes:
        return None
    for number, text in sorted(notes):
        if THOUSANDS.search(text):
            refuse("thousands", row=number, text=printable(text))
    start = min(number for number, _ in notes)
    con.execute("delete from source where _row >= $start", {"start": start})
    return start


def source_width(con) -> int:
    return len(con.execute("describe source").fetchall()) - 1


# ---------------------------------------------------------------- CSV


def read_csv(con, path: Path, name: str, refuse, header_row: int | None) -> Source:
    delimiter, records = read_head(path, refuse, header_row)
    if header_row is None and (not records or records[0][0] != 1):
        refuse("no_header")
    table = find_table([(start, cells) for start, _, cells in records], header_row, refuse)
    headers, stack = joined_headers([cells for _, cells in table.header])
    data_line = records[table.data_index - 1][1] + 1
    blank_lines = check_text(path, refuse, delimiter, headers)
    columns = column_names(len(headers))
    options = {
        "header": False,
        "skip": data_line - 1,
        "delim": delimiter,
        "quote": '"',
        "escape": '"',
        "columns": {column: "VARCHAR" for column in columns},
        "auto_detect": False,
        "store_rejects": True,
    }
    try:
        con.execute(
            "create temp table csv_rows as select * from read_csv($path, "
            + ", ".join(f"{key} := ${key}" for key in options)
            + ")",
            {"path": str(path), **options},
        )
    except duckdb.Error as error:
        refuse("unreadable_csv", error=first_line(error, path, name))
    # Blank lines are skipped by the reader but count as rows where the user sees the file: a record
    # comes after the i-th blank line below the header (1-based, at line b) when its index is at least
    # b - data_line - (i - 1).
    after = [line - data_line - index + 1 for index, line in enumerate((b for b in blank_lines if b > data_line), 1)]
    con.execute(
        f"create temp table source as "
        f"select rowid + {data_line} + len(list_filter($after, lambda first_index: first_index <= rowid)) as _row, * "
        "from csv_rows",
        {"after": after},
    )
    rejects = con.execute("select line, csv_line, error_message from reject_errors order by line").fetchall()
    notes_start = drop_notes(con, refuse, [(line, text) for line, text, _ in rejects])
    rejects = [reject for reject in rejects if notes_start is None or reject[0] < notes_start]
    if rejects:
        cells = {"cells": len(headers), "delimiter": repr(delimiter)}
        raise IngestError(
            [
                Problem(name, line, None, text.strip(), "cells_found", {**cells, "found": found[0]})
                if (found := re.findall(r"Found: (\d+)", message))
                else Problem(
                    name, line, None, text.strip(), "cells", {**cells, "error": message.strip().rstrip(".").lower()}
                )
                for line, text, message in rejects[:SHOWN_PROBLEMS]
            ],
            total=len(rejects),
        )
    return Source(name, "csv", headers, title=title_text(table), header_stack=stack)


def read_head(path: Path, refuse, header_row: int | None) -> tuple[str, list[tuple[int, int, list[str]]]]:
    """The delimiter of a CSV file (of ; , tab |, the one that splits most of its first rows into the same
    number of cells, two or more) and its first rows that are not empty, down to HEADER_SCAN rows below
    `header_row`: (first line, last line, cells)."""
    with open(path, "rb") as handle:
        data = handle.read(HEAD_BYTES)
        whole = not handle.read(1)
    if b"\0" in data:
        refuse("binary")
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")

    def records(delimiter: str) -> list[tuple[int, int, list[str]]]:
        found, line = [], 0
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for cells in reader:
                if filled(cells):
                    found.append((line + 1, reader.line_num, cells))
                line = reader.line_num
                if sum(start >= (header_row or 0) for start, _, _ in found) > HEADER_SCAN:
                    return found[:-1]
        except csv.Error as error:
            refuse("unreadable_csv", error=error)
        return found if whole else found[:-1]  # the last row read may be cut short

    def agreement(delimiter: str) -> tuple[int, int]:
        counts = [len(cells) for _, _, cells in records(delimiter)]
        common = max(set(counts), key=lambda count: (counts.count(count), count), default=0)
        return (counts.count(common), common) if common > 1 else (0, 0)

    delimiter = max(";,\t|", key=agreement)
    return delimiter, records(delimiter)


def check_text(path: Path, refuse, delimiter: str, headers: list[str]) -> list[int]:
    """Check that the file is UTF-8 text; return the numbers of its blank lines."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    blank_lines, line, carry = [], 1, b""
    with open(path, "rb") as handle:
        while True:
            block = handle.read(CHUNK)
            data, final = carry + block, not block
            end = len(data) if final else (data.rfind(b"\n") + 1 or len(data))
            part, carry = data[:end], data[end:]
            if b"\0" in part:
                refuse("binary")
            try:
                text = decoder.decode(part, final=final)
            except UnicodeDecodeError as error:
                line_start = part.rfind(b"\n", 0, error.start) + 1
                before = part[line_start : error.start].decode("utf-8", "replace")
                index = before.count(delimiter)
                refuse(
                    "utf8",
                    line + part.count(b"\n", 0, error.start),
                    headers[index] if index < len(headers) else None,
                    before.rsplit(delimiter, 1)[-1][-30:] + f"\\x{part[error.start]:02x}",
                )
            if "\n\n" in text or "\n\r\n" in text or text.startswith(("\n", "\r\n")):
                blank_lines += [line + text.count("\n", 0, match.start()) for match in re.finditer(r"(?m)^\r?\n", text)]
            line += part.count(b"\n")
            if final:
                break
    return blank_lines


def first_line(error: Exception, path: Path, name: str) -> str:
    """The gist of a reader's error, naming the file as the user knows it."""
    return str(error).strip().splitlines()[0].replace(str(path), name)


# ---------------------------------------------------------------- Parquet


def read_parquet(con, path: Path, name: str, refuse) -> Source:
    try:
        rows = con.read_parquet(str(path), file_row_number=True)
        headers = rows.columns[:-1]
        rows.create_view("parquet_rows")
        con.execute(
            "create temp view source as select file_row_number + 2 as _row, * exclude (file_row_number) "
            f"from parquet_rows as parquet({', '.join(column_names(len(headers)))})"
        )
        con.execute("select count(*) from source").fetchone()
    except duckdb.Error as error:
        refuse("unreadable_parquet", error=first_line(error, path, name))
    return Source(name, "parquet", headers, header_stack=[list(headers)])


# ---------------------------------------------------------------- XLSX


def read_xlsx(con, path: Path, name: str, sheet: str | None, refuse, progress, header_row: int | None) -> Source:
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        refuse("damaged_zip", error=error)
    unpacked = sum(member.file_size for member in members)
    if unpacked > UNPACKED_FACTOR * max_input_bytes():
        refuse("zip_bomb", size=round(unpacked / 1e6))
    if "xl/workbook.xml" not in {member.filename for member in members}:
        refuse("not_workbook")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            table = load_sheet(con, workbook, sheet, refuse, progress, header_row)
        finally:
            workbook.close()
    except IngestError:
        raise
    except Exception as error:  # openpyxl raises many kinds of error on a broken workbook
        refuse("unreadable_xlsx", error=error)
    headers, stack = joined_headers([cells[: header_width(table)] for _, cells in table.header])
    drop_notes(con, refuse)
    return Source(name, "xlsx", headers, title=title_text(table), header_stack=stack)


def load_sheet(con, workbook, sheet: str | None, refuse, progress, header_row: int | None) -> Table:
    """Create `source` from the data rows of a sheet, after its header, and return where its table is. Only the
    first rows, where the header is looked for, are held in memory; the data rows are written as they are read."""
    if sheet is not None and sheet not in workbook.sheetnames:
        refuse("no_such_sheet", sheet=shown(sheet), sheets=", ".join(map(shown, workbook.sheetnames)))
    worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
    rows = sheet_rows(worksheet, refuse, progress)
    first, head, scanned = [], [], 0
    for number, cells in rows:
        first.append((number, cells))
        if filled(cells):
            head.append((number, cells))
            scanned += number >= (header_row or 0)
            if scanned == HEADER_SCAN:
                break
    if not head:
        refuse("empty_sheet", sheet=shown(worksheet.title))
    table = find_table(head, header_row, refuse)
    after_header = head[table.data_index - 1][0]
    data = itertools.chain(((number, cells) for number, cells in first if number > after_header), rows)
    write_source(con, header_width(table), after_header, data)
    return table


def sheet_rows(worksheet, refuse, progress):
    """The rows of a sheet that are not empty, each its number in the sheet and its cells up to its last one
    that is not empty; formulas come as their text (=SUM(...)). Refused once the cells read pass the ceiling."""
    worksheet.reset_dimensions()  # rows as long as their cells, not padded to the sheet's stated size
    limit, read = max_xlsx_cells(), 0
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number % 200_000 == 0:
            progress(f"  {number:,} rows read")
        end = len(values)
        while end and values[end - 1] is None:
            end -= 1
        if not end:
            continue
        cells = [cell_text(value) for value in values[:end]]
        read += end - cells.count(None)
        if read > limit:
            refuse("too_many_cells", row=number, limit=limit)
        yield number, cells


def header_width(table: Table) -> int:
    return max(max(index for index, cell in enumerate(cells) if cell) + 1 for _, cells in table.header)


def write_source(con, width: int, after: int, rows) -> None:
    """Create the temp table `source` (_row, c0, c1, ...) from `rows` (number, cells) of the data below row
    `after`, cut or padded to `width` cells; rows left out between them are empty rows, those after the last
    are not written. The rows go in XLSX_CHUNK_CELLS cells at a time, as one Arrow table each."""
    names = ["_row", *column_names(width)]
    schema = pa.schema([pa.field("_row", pa.int64()), *[pa.field(column, pa.string()) for column in names[1:]]])
    con.execute(f"create temp table source (_row bigint, {', '.join(f'{column} varchar' for column in names[1:])})")

    def padded():
        last = after
        for number, cells in rows:
            yield from ([empty, *[None] * width] for empty in range(last + 1, number))
            yield [number, *cells[:width], *[None] * (width - len(cells))]
            last = number

    table_rows, chunk_rows = padded(), max(1, XLSX_CHUNK_CELLS // (width + 1))
    while chunk := list(itertools.islice(table_rows, chunk_rows)):
        columns = [pa.array(column, kind.type) for column, kind in zip(zip(*chunk), schema)]
        con.register("xlsx_rows", pa.table(columns, schema=schema))
        con.execute("insert into source select * from xlsx_rows")
        con.unregister("xlsx_rows")


def cell_text(value) -> str | None:
    """A spreadsheet cell as text; numbers that are not whole are written with a decimal comma so
    that they read back unambiguously (1.234 as a number becomes "1,234", not one thousand)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
