"""Reading an input file into DuckDB as a relation `source`: CSV, Parquet or XLSX, told apart by
their content, and refused early when too large, not a table, not UTF-8, or a zip bomb.

Every row keeps `_row`, its number as the user sees it in a spreadsheet (the header is row 1).
The original columns are renamed c0, c1, ... so that no header text ever becomes SQL. A file refused
here raises IngestError with one Problem keyed under ingest.file (or ingest.expected, for a cell).
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import pyarrow as pa

from sensus.ingest.problems import SHOWN_PROBLEMS, IngestError, Problem, shown

DEFAULT_MAX_INPUT_MB = 100
UNPACKED_FACTOR = 10  # an XLSX may unpack to at most this many times the size limit
CHUNK = 1 << 22

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


def max_input_bytes() -> int:
    setting = os.environ.get("SENSUS_MAX_INPUT_MB", str(DEFAULT_MAX_INPUT_MB))
    try:
        megabytes = float(setting)
    except ValueError:
        megabytes = DEFAULT_MAX_INPUT_MB
    return int(megabytes * 1_000_000)


@dataclass
class Source:
    """The file as read: `source` in the connection, with its header names in column order."""

    name: str
    format: str
    headers: list[str]
    types: list[str] = field(default_factory=list)
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)  # found while reading, told with those of the columns


def read(con: duckdb.DuckDBPyConnection, path: Path, name: str, sheet: str | None = None, progress=print) -> Source:
    """Create the relation `source` (_row, c0, c1, ...) in `con` from the file at `path`."""

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
    progress(f"reading {name} ({kind.upper()}, {size / 1e6:,.1f} MB)")
    reader = {"csv": read_csv, "parquet": read_parquet, "xlsx": read_xlsx}[kind]
    source = reader(con, path, name, sheet, refuse, progress) if kind == "xlsx" else reader(con, path, name, refuse)
    source.types = [row[1] for row in con.execute("describe source").fetchall()[1:]]
    source.rows = con.execute("select count(*) from source").fetchone()[0]
    if not source.rows:
        refuse("no_data_rows")
    return source


def column_names(count: int) -> list[str]:
    return [f"c{index}" for index in range(count)]


# ---------------------------------------------------------------- CSV


def read_csv(con, path: Path, name: str, refuse) -> Source:
    headers, delimiter, blank_lines = scan_text(path, refuse)
    columns = column_names(len(headers))
    options = {
        "header": False,
        "skip": 1,
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
    rejects = con.execute("select line, csv_line, error_message from reject_errors order by line").fetchall()
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
    # Blank lines are skipped by the reader but count as rows where the user sees the file: a record
    # comes after the i-th blank line (1-based, at line b) when its index is at least b - i - 1.
    con.execute(
        "create temp table source as "
        "select rowid + 2 + len(list_filter($after, lambda first_index: first_index <= rowid)) as _row, * "
        "from csv_rows",
        {"after": [line - index - 1 for index, line in enumerate(blank_lines, start=1)]},
    )
    return Source(name, "csv", headers)


def scan_text(path: Path, refuse) -> tuple[list[str], str, list[int]]:
    """Check that the file is UTF-8 text; return the cells of its header row, its delimiter (the
    commonest of ; , tab | in the header) and the numbers of the blank lines between its rows."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    header, delimiter, blank_lines, line, carry = None, ";", [], 1, b""
    with open(path, "rb") as handle:
        while True:
            block = handle.read(CHUNK)
            data, final = carry + block, not block
            end = len(data) if final else (data.rfind(b"\n") + 1 or len(data))
            part, carry = data[:end], data[end:]
            if header is None:
                header_line = part.split(b"\n", 1)[0].decode("utf-8", "replace").removeprefix("\ufeff").rstrip("\r")
                delimiter = max(";,\t|", key=header_line.count)
                header = next(csv.reader([header_line], delimiter=delimiter), [])
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
                    header[index] if index < len(header) else None,
                    before.rsplit(delimiter, 1)[-1][-30:] + f"\\x{part[error.start]:02x}",
                )
            if "\n\n" in text or "\n\r\n" in text or text.startswith(("\n", "\r\n")):
                blank_lines += [line + text.count("\n", 0, match.start()) for match in re.finditer(r"(?m)^\r?\n", text)]
            line += part.count(b"\n")
            if final:
                break
    if not any(cell.strip() for cell in header):
        refuse("no_header")
    return header, delimiter, blank_lines


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
    return Source(name, "parquet", headers)


# ---------------------------------------------------------------- XLSX


def read_xlsx(con, path: Path, name: str, sheet: str | None, refuse, progress) -> Source:
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
            headers, data = sheet_rows(workbook, sheet, refuse, progress)
        finally:
            workbook.close()
    except IngestError:
        raise
    except Exception as error:  # openpyxl raises many kinds of error on a broken workbook
        refuse("unreadable_xlsx", error=error)
    columns = list(zip(*data)) if data else [[] for _ in range(len(headers) + 1)]
    table = pa.table(
        [pa.array(columns[0], pa.int64()), *[pa.array(column, pa.string()) for column in columns[1:]]],
        names=["_row", *column_names(len(headers))],
    )
    con.register("xlsx_rows", table)
    con.execute("create temp table source as select * from xlsx_rows")
    con.unregister("xlsx_rows")
    return Source(name, "xlsx", headers)


def sheet_rows(workbook, sheet: str | None, refuse, progress) -> tuple[list[str], list[list]]:
    """The header (the first row that is not empty) and the data rows of a sheet, each data row
    led by its number in the sheet; formulas come as their text (=SUM(...))."""
    if sheet is not None and sheet not in workbook.sheetnames:
        refuse("no_such_sheet", sheet=shown(sheet), sheets=", ".join(map(shown, workbook.sheetnames)))
    worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
    headers, data = None, []
    for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
        cells = [cell_text(value) for value in values]
        if headers is None:
            if any(cell is not None for cell in cells):
                headers = [cell or "" for cell in cells]
                while headers and not headers[-1]:
                    headers.pop()
            continue
        data.append([number, *cells[: len(headers)], *[None] * (len(headers) - len(cells))])
        if len(data) % 200_000 == 0:
            progress(f"  {len(data):,} rows read")
    if headers is None:
        refuse("empty_sheet", sheet=shown(worksheet.title))
    return headers, data


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
