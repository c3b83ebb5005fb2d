"""Reading an input file into DuckDB as a relation `source`: CSV, Parquet or XLSX, told apart by
their content, and refused early when too large, not a table, not UTF-8, or a zip bomb.

Every row keeps `_row`, its number as the user sees it in a spreadsheet (the header is row 1).
The original columns are renamed c0, c1, ... so that no header text ever becomes SQL.
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

DEFAULT_MAX_INPUT_MB = 100
UNPACKED_FACTOR = 10  # an XLSX may unpack to at most this many times the size limit
SHOWN_PROBLEMS = 20
CHUNK = 1 << 22

FORMATS = {b"PAR1": "parquet", b"PK\x03\x04": "xlsx"}
NOT_TABLES = {
    b"\x89PNG": "is a PNG image, not a table; expected CSV (UTF-8), XLSX or Parquet",
    b"\xff\xd8\xff": "is a JPEG image, not a table; expected CSV (UTF-8), XLSX or Parquet",
    b"GIF8": "is a GIF image, not a table; expected CSV (UTF-8), XLSX or Parquet",
    b"%PDF": "is a PDF document, not a table; expected CSV (UTF-8), XLSX or Parquet",
    b"\x1f\x8b": "is a gzip archive, not a table; expected CSV (UTF-8), XLSX or Parquet",
    b"PK\x05\x06": "is an empty zip archive, not a table; expected CSV (UTF-8), XLSX or Parquet",
    b"\xd0\xcf\x11\xe0": "is an old Excel .xls workbook; expected .xlsx or CSV: save it as one of those",
    b"\xff\xfe": "is UTF-16 text; expected UTF-8: save the file as CSV UTF-8",
    b"\xfe\xff": "is UTF-16 text; expected UTF-8: save the file as CSV UTF-8",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file. `value` is the cell as read ("" for an empty cell);
    without a value, `expected` is a whole sentence."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    more_rows: int = 0

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row:,}"
        if self.column is not None:
            where += f", {'columns' if ', ' in self.column else 'column'} {self.column}"
        if self.value is None:
            text = f"{where}: {self.expected}"
        else:
            text = f"{where}: got {shown(self.value)}, expected {self.expected}"
        if self.more_rows:
            text += f" (and in {self.more_rows:,} more rows)"
        return text


class IngestError(Exception):
    """The file was refused; nothing was loaded. `problems` lists what is wrong (the first ones,
    with `total` counting them all)."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = max(total or 0, len(problems))
        super().__init__(self.message)

    @property
    def message(self) -> str:
        name = self.problems[0].file if self.problems else "the file"
        count = f"{self.total:,} problem{'s' if self.total != 1 else ''}"
        lines = [f"{name} was not loaded ({count}); the store is unchanged:"]
        lines += [f"  {problem}" for problem in self.problems[:SHOWN_PROBLEMS]]
        if self.total > SHOWN_PROBLEMS:
            lines.append(f"  and {self.total - SHOWN_PROBLEMS:,} more")
        return "\n".join(lines)


def shown(value: str, limit: int = 60) -> str:
    """A cell value quoted for a message, control characters escaped, long values cut."""
    if value == "":
        return "an empty cell"
    text = value.encode("unicode_escape").decode("ascii") if not value.isprintable() else value
    return '"' + (text[:limit] + "..." if len(text) > limit else text) + '"'


def printable(text: str, limit: int = 80) -> str:
    """Text fit to show in a message: printable characters only, not too long."""
    return "".join(ch for ch in str(text) if ch.isprintable()).strip()[:limit]


def printable_name(name: str) -> str:
    """A file name the user gave, fit to show: only its last path part, printable."""
    return printable(re.split(r"[\\/]", str(name))[-1]) or "file"


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


def read(con: duckdb.DuckDBPyConnection, path: Path, name: str, sheet: str | None = None, progress=print) -> Source:
    """Create the relation `source` (_row, c0, c1, ...) in `con` from the file at `path`."""

    def refuse(expected: str, row=None, column=None, value=None):
        raise IngestError([Problem(name, row, column, value, expected)])

    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as error:
        refuse(f"cannot be opened: {error.strerror or error}")
    limit = max_input_bytes()
    if size > limit:
        refuse(f"is {size / 1e6:,.1f} MB; the limit is {limit / 1e6:,.0f} MB (set SENSUS_MAX_INPUT_MB to change it)")
    if size == 0:
        refuse("is empty (0 bytes); expected a table with a header row and data rows")
    for signature, refusal in NOT_TABLES.items():
        if head.startswith(signature):
            refuse(refusal)
    kind = next((kind for signature, kind in FORMATS.items() if head.startswith(signature)), "csv")
    if sheet and kind != "xlsx":
        refuse(f"is {kind.upper()}, which has no sheets; --sheet is for XLSX workbooks")
    progress(f"reading {name} ({kind.upper()}, {size / 1e6:,.1f} MB)")
    reader = {"csv": read_csv, "parquet": read_parquet, "xlsx": read_xlsx}[kind]
    source = reader(con, path, name, sheet, refuse, progress) if kind == "xlsx" else reader(con, path, name, refuse)
    source.types = [row[1] for row in con.execute("describe source").fetchall()[1:]]
    source.rows = con.execute("select count(*) from source").fetchone()[0]
    if not source.rows:
        refuse("has a header but no data rows")
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
        refuse(f"cannot be read as CSV: {first_line(error, path, name)}")
    rejects = con.execute("select line, csv_line, error_message from reject_errors order by line").fetchall()
    if rejects:
        expected = f"{len(headers)} cells separated by {delimiter!r} as in the header"
        raise IngestError(
            [
                Problem(
                    name,
                    line,
                    None,
                    text.strip(),
                    f"{expected}, found {found[0]}"
                    if (found := re.findall(r"Found: (\d+)", message))
                    else f"{expected} ({message.strip().rstrip('.').lower()})",
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
                refuse("holds binary data (NUL bytes), not text; expected CSV (UTF-8), XLSX or Parquet")
            try:
                text = decoder.decode(part, final=final)
            except UnicodeDecodeError as error:
                line_start = part.rfind(b"\n", 0, error.start) + 1
                before = part[line_start : error.start].decode("utf-8", "replace")
                index = before.count(delimiter)
                refuse(
                    "text in UTF-8 (save the file as CSV UTF-8)",
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
        refuse(
            "has no header row in its first line; expected column names such as kode_wilayah;jenis_kelamin;umur;jumlah"
        )
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
        refuse(f"cannot be read as Parquet: {first_line(error, path, name)}")
    return Source(name, "parquet", headers)


# ---------------------------------------------------------------- XLSX


def read_xlsx(con, path: Path, name: str, sheet: str | None, refuse, progress) -> Source:
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        refuse(f"is a damaged zip archive, not a readable XLSX workbook ({error})")
    unpacked = sum(member.file_size for member in members)
    if unpacked > UNPACKED_FACTOR * max_input_bytes():
        refuse(f"unpacks to {unpacked / 1e6:,.0f} MB, more than any census table needs; refused as a zip bomb")
    if "xl/workbook.xml" not in {member.filename for member in members}:
        refuse("is a zip archive but not an XLSX workbook (no xl/workbook.xml)")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            headers, data = sheet_rows(workbook, sheet, refuse, progress)
        finally:
            workbook.close()
    except IngestError:
        raise
    except Exception as error:  # openpyxl raises many kinds of error on a broken workbook
        refuse(f"cannot be read as an XLSX workbook: {error}")
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
        refuse(f"has no sheet named {shown(sheet)}; its sheets are {', '.join(map(shown, workbook.sheetnames))}")
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
        refuse(f"has an empty sheet {shown(worksheet.title)}; expected a header row and data rows")
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
