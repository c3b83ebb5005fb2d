"""The table behind a chart as a download: CSV and XLSX with a header block naming the source
dataset, the area, the date and the filters.

Cells are made safe for spreadsheets: text starting with =, +, -, @, a tab or a carriage return
would run as a formula when opened, so it gets a leading single quote (in both formats). Codes
become labels, headers follow the language, and a count withheld by small-cell protection reads
"<5" (a share built on it "dirahasiakan") rather than an empty cell that could be taken for zero.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from sensus import formatting, privacy
from sensus.i18n import education_labels, level_label, sex_label, t

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A value safe to open in a spreadsheet: text that would start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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
) -> pd.DataFrame:
    """The chosen columns of `frame`, in order, as a table for people: each column's kind (text,
    number, decimal, percent, date, sex, education, level, bool) turns codes into labels; headers
    are col.<column> from the catalog unless given; on a row marked `suppressed`, a withheld count
    (NaN) reads "<k" and a withheld share or rate "dirahasiakan". Numbers stay numbers."""
    headers = headers or {}
    withheld_text = {
        "number": t("data.suppressed", lang, k=privacy.protection().min_cell),
        "decimal": t("data.withheld", lang),
        "percent": t("data.withheld", lang),
    }
    suppressed = frame["suppressed"].fillna(False).astype(bool) if "suppressed" in frame else None
    table = {}
    for column, kind in columns.items():
        values = _labels(frame[column], kind, lang)
        if suppressed is not None and kind in withheld_text:
            values = values.astype(object).where(~(suppressed & values.isna()), withheld_text[kind])
        table[headers.get(column) or t(f"col.{column}", lang)] = values.to_numpy()
    return pd.DataFrame(table)


def shown(table: pd.DataFrame, columns: Mapping[str, str], lang: str) -> pd.DataFrame:
    """A labelled table with its numbers written as the language writes them, for the screen."""
    render = {
        "number": lambda v: formatting.number(v, lang),
        "decimal": lambda v: formatting.decimal(v, lang, 1),
        "percent": lambda v: formatting.percent(v, lang),
        "date": lambda v: formatting.short_date(v, lang),
    }
    result = table.copy()
    for header, kind in zip(table.columns, columns.values()):
        if kind in render:
            result[header] = [value if isinstance(value, str) else render[kind](value) for value in table[header]]
    return result


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


def _cells(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        return neutralise(value.item())
    return neutralise(value)


def _rows(table: pd.DataFrame, header: Sequence[tuple[str, str]]) -> list[list]:
    rows = [[_cells(label), _cells(text)] for label, text in header]
    rows.append([])
    rows.append([_cells(column) for column in table.columns])
    rows.extend([_cells(value) for value in row] for row in table.itertuples(index=False, name=None))
    return rows


def to_csv(table: pd.DataFrame, header: Sequence[tuple[str, str]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark (so spreadsheets read the accents), header block first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _rows(table, header):
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: pd.DataFrame, header: Sequence[tuple[str, str]], sheet: str = "data") -> bytes:
    """An XLSX workbook of one sheet: the header block, a blank row, then the table with its
    numbers as numbers."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    bold = Font(bold=True)
    for row in _rows(table, header):
        worksheet.append(row)
    for cell in worksheet["A"][: len(header)]:
        cell.font = bold
    for cell in worksheet[len(header) + 2]:
        cell.font = bold
    for index, column in enumerate(table.columns, start=1):
        width = max([len(str(column))] + [len(str(value)) for value in table.iloc[:, index - 1].head(200)])
        letter = worksheet.cell(row=1, column=index).column_letter
        worksheet.column_dimensions[letter].width = min(max(width, 10), 60) + 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
