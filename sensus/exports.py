"""The table behind a chart, for the screen and as downloads: CSV and XLSX with a header block naming
the source dataset, the area, the date and the filters.

Numbers stay numbers everywhere: on the screen the table sorts by value and shows each number as the
language writes it; the XLSX holds typed cells with number formats (counts as whole numbers, shares
as percentages, dates as dates); the CSV follows the language's convention (Indonesian: semicolon and
decimal comma; English: comma and decimal point), with the header block as "# " comment lines.

Cells are made safe for spreadsheets: text starting with =, +, -, @, a tab or a carriage return
would run as a formula when opened, so it gets a leading single quote (in both formats). Codes
become labels, headers follow the language, and a count withheld by small-cell protection reads
"<5" (a share built on it "dirahasiakan") in the downloads rather than an empty cell that could be
taken for zero.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from pandas.io.formats.style import Styler

from sensus import formatting, privacy
from sensus.i18n import education_labels, level_label, sex_label, t

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_KINDS = ("number", "decimal", "percent")
CSV_DELIMITERS = {"id": ";", "en": ","}
XLSX_FORMATS = {"number": "#,##0", "decimal": "#,##0.0", "percent": "0.0%", "date": "yyyy-mm-dd"}
PERCENT_DIGITS = 1  # as the cards show a share
CSV_PERCENT_DIGITS = 2


@dataclass(frozen=True)
class Table:
    """A table for people: `frame` with headers in the language and its numbers as numbers (a withheld
    one NaN); `kinds` the kind of each column, in order; `withheld` which cells small-cell protection
    withheld (a frame of booleans shaped like `frame`)."""

    frame: pd.DataFrame
    kinds: tuple[str, ...]
    withheld: pd.DataFrame
    lang: str

    def withheld_text(self, kind: str) -> str:
        """What a withheld cell of this kind reads in a download: "<5" for a count, "dirahasiakan" else."""
        if kind == "number":
            return t("data.suppressed", self.lang, k=privacy.protection().min_cell)
        return t("data.withheld", self.lang)


def neutralise(value):
    """A value safe to open in a spreadsheet: text on one line, without the control characters a
    workbook cannot hold; text that would start a formula gets a leading quote."""
    if not isinstance(value, str):
        return value
    value = formatting.CONTROL_CHARACTERS.sub(" ", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _labels(series: pd.Series, kind: str, lang: str) -> pd.Series:
    if kind == "sex":
        return series.map(lambda code: sex_label(code, lang))
    if kind == "education":
        return series.map(education_labels(lang))
    if kind == "level":
        return series.map(lambda level: level_label(level, lang))
    if kind == "bool":
        return series.map(lambda value: t("yes" if value else "no", lang))
    if kind == "date" and pd.api.types.is_datetime64_dtype(series):
        return series.dt.date  # a timestamp (a dataset's loaded_at) shows its day; DATE columns are dates already
    return series


def labelled(
    frame: pd.DataFrame, columns: Mapping[str, str], lang: str, *, headers: Mapping[str, str] | None = None
) -> Table:
    """The chosen columns of `frame`, in order, as a table for people: each column's kind (text,
    number, decimal, percent, date, sex, education, level, bool) turns codes into labels; headers
    are col.<column> from the catalog unless given. Counts that are whole become integers; on a row
    marked `suppressed`, a missing count, share or rate is a withheld cell."""
    headers = headers or {}
    suppressed = frame["suppressed"].fillna(False).astype(bool) if "suppressed" in frame else None
    table, withheld = {}, {}
    for column, kind in columns.items():
        header = headers.get(column) or t(f"col.{column}", lang)
        values = _labels(frame[column], kind, lang)
        if kind == "number" and _whole(values):
            values = values.astype("Int64")
        table[header] = values.reset_index(drop=True)
        withheld[header] = (
            (suppressed & frame[column].isna()).to_numpy()
            if suppressed is not None and kind in NUMERIC_KINDS
            else [False] * len(frame)
        )
    return Table(pd.DataFrame(table), tuple(columns.values()), pd.DataFrame(withheld), lang)


def _whole(values: pd.Series) -> bool:
    present = pd.to_numeric(values, errors="coerce").dropna()
    return bool(pd.api.types.is_numeric_dtype(values) and (present == present.round()).all())


@functools.cache
def _screen_text(kind: str, lang: str):
    """How a cell of this kind is written on the screen, or None to leave it as it is. Each value's text is
    kept: a table open on a page is written again on every run, and Babel's formatting was half of that."""
    write = {
        "number": lambda value: formatting.number(value, lang),
        "decimal": lambda value: formatting.decimal(value, lang, 1),
        "percent": lambda value: formatting.percent(value, lang, PERCENT_DIGITS),
        "date": lambda value: formatting.short_date(value, lang),
    }.get(kind)
    return write and functools.lru_cache(maxsize=16_384)(write)


def styled(table: Table) -> Styler:
    """The table for the screen: numbers stay numbers (so it sorts by value), each written as the
    language writes it (the same formatter as the cards). A missing cell is left to the grid, which
    shows the placeholder it is given for every missing cell (see `placeholder`)."""
    formatters = {header: _screen_text(kind, table.lang) for header, kind in zip(table.frame.columns, table.kinds)}
    return table.frame.style.format({header: text for header, text in formatters.items() if text}, na_rep="")


def placeholder(table: Table) -> str:
    """What a missing cell reads on the screen, where the grid takes one text for all of them: "<5"
    in a table that withheld counts, the dash for a missing value elsewhere."""
    if table.withheld.to_numpy().any():
        return table.withheld_text("number")
    return formatting.MISSING


def header_block(
    lang: str,
    *,
    title: str,
    source: str,
    area: str,
    on: str,
    filters: Sequence[str] = (),
    exported: str | None = None,
    synthetic: bool = False,
) -> list[tuple[str, str]]:
    """The lines above the table in a download, as (label, text) pairs."""
    lines = [
        (t("export.title", lang), title),
        (t("export.source", lang), source),
        (t("export.area", lang), area),
        (t("export.date", lang), on),
        (t("export.filters", lang), "; ".join(filters)),
    ]
    if exported:
        lines.append((t("export.exported", lang), exported))
    if synthetic:
        lines.append((t("export.synthetic", lang), t("synthetic.notice", lang)))
    return lines


def _cell(value):
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        return neutralise(value.item())
    return neutralise(value)


def _table_rows(table: Table) -> list[list[tuple]]:
    """Each row of the table as (value, kind, withheld) cells, values ready for a spreadsheet."""
    cells = zip(table.frame.itertuples(index=False, name=None), table.withheld.itertuples(index=False, name=None))
    return [list(zip(map(_cell, values), table.kinds, withheld)) for values, withheld in cells]


def _csv_text(value, kind: str, lang: str) -> str:
    if value is None:
        return ""
    if kind == "percent":
        return formatting.percent(value, lang, CSV_PERCENT_DIGITS)
    if kind in ("number", "decimal") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return formatting.machine_number(value, lang)
    if isinstance(value, date):
        return value.isoformat()[:10]
    return str(value)


def to_csv(table: Table, header: Sequence[tuple[str, str]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark (so spreadsheets read the accents), in the language's
    convention: the header block as "# label: text" lines, a blank line, then the table."""
    buffer = io.StringIO()
    for label, text in header:
        buffer.write(" ".join(f"# {label}: {text}".split()) + "\r\n")
    buffer.write("\r\n")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITERS[table.lang], lineterminator="\r\n")
    writer.writerow([_cell(column) for column in table.frame.columns])
    for row in _table_rows(table):
        writer.writerow(
            [
                table.withheld_text(kind) if withheld else _csv_text(value, kind, table.lang)
                for value, kind, withheld in row
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table, header: Sequence[tuple[str, str]], sheet: str = "data") -> bytes:
    """An XLSX workbook of one sheet: the header block (each text in cells merged across the table's
    width), a blank row, then the table with numbers as numbers, each kind with its number format."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    bold = Font(bold=True)
    width = max(len(table.frame.columns), 2)
    for row, (label, text) in enumerate(header, start=1):
        worksheet.cell(row=row, column=1, value=_cell(label)).font = bold
        worksheet.cell(row=row, column=2, value=_cell(text)).alignment = Alignment(wrap_text=True, vertical="top")
        if width > 2:
            worksheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
    first = len(header) + 2
    for column, name in enumerate(table.frame.columns, start=1):
        worksheet.cell(row=first, column=column, value=_cell(name)).font = bold
    for row, cells in enumerate(_table_rows(table), start=first + 1):
        for column, (value, kind, withheld) in enumerate(cells, start=1):
            cell = worksheet.cell(row=row, column=column, value=table.withheld_text(kind) if withheld else value)
            if kind in XLSX_FORMATS and not withheld:
                cell.number_format = XLSX_FORMATS[kind]
            elif withheld:
                cell.alignment = Alignment(horizontal="right")
    for column, name in enumerate(table.frame.columns, start=1):
        longest = max([len(str(name))] + [len(str(value)) for value in table.frame.iloc[:200, column - 1]])
        worksheet.column_dimensions[worksheet.cell(row=first, column=column).column_letter].width = (
            min(max(longest, 10), 60) + 2
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
