"""Numbers, percentages and dates as each language writes them, through Babel.

Indonesian groups thousands with a dot and writes the decimal comma (442.758; 27,95%); English the
other way round (442,758; 27.95%). Plotly is told the same through `plotly_separators`.

Names (of areas, agencies, datasets, files) come from users' files: `plain` keeps them literal in
markdown, `chart_text` in plotly's labels, which read a subset of HTML; `shortened` keeps a name that
labels something (a heading, a slide, a chart's axis) within NAME_LIMIT characters, its whole text
shown on hover where it is cut.
"""

from __future__ import annotations

import html
import math
import re
from datetime import date, datetime
from functools import lru_cache

import pandas as pd
from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern

LOCALES = {"id": "id_ID", "en": "en_US"}
PLOTLY_SEPARATORS = {"id": ",.", "en": ".,"}
MISSING = "–"
# Any ASCII punctuation is literal after a backslash in markdown (CommonMark). Escaped: every mark that
# can start markup (links, images, emphasis, code, headings, list markers, tables, HTML, math ($),
# Streamlit's :colour[...] and icons, autolinked https: and www. addresses); kept: "/", and "." and "_"
# within a word (file names such as data/calibration_5371.csv read as written either way).
MARKDOWN_PUNCTUATION = re.compile(r"[!-\-:-@\[-^`{-~]|(?<![0-9a-z])[._]|[._](?![0-9a-z])|(?<=www)\.", re.IGNORECASE)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
NAME_LIMIT = 48  # characters: the longest agency names in use (Dinas ... dan Pencatatan Sipil) fit


def locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(LOCALES)}") from None


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits else "")


@lru_cache
def _written(pattern: str, lang: str) -> tuple[NumberPattern, Locale]:
    """Babel's number pattern parsed and the language's locale loaded, once: format_decimal does both for
    every number, two thirds of its time."""
    return parse_pattern(pattern), Locale.parse(locale(lang))


def _write(value, pattern: str, lang: str) -> str:
    parsed, where = _written(pattern, lang)
    return parsed.apply(value, where, decimal_quantization=True)


def number(value, lang: str) -> str:
    """A whole number with thousands grouped: 442.758 (id), 442,758 (en)."""
    return decimal(value, lang, digits=0)


def decimal(value, lang: str, digits: int = 1) -> str:
    """A number with a fixed count of decimals: 101,4 (id), 101.4 (en)."""
    if _missing(value):
        return MISSING
    return _write(value, _pattern(digits), lang)


def machine_number(value, lang: str) -> str:
    """A number for a data file: no thousands separator, the language's decimal mark, up to six
    decimals: 1500, 101,363636 (id), 101.363636 (en)."""
    if _missing(value):
        return ""
    return _write(value, "0.######", lang)


def percent(share, lang: str, digits: int = 2) -> str:
    """A share (0.2795) as a percentage: 27,95% (id), 27.95% (en)."""
    if _missing(share):
        return MISSING
    return _write(share, _pattern(digits) + "%", lang)


@lru_cache(maxsize=4096)  # the same days recur in every trend, table and hover text
def long_date(day: date | datetime | pd.Timestamp, lang: str) -> str:
    """18 Maret 2020 (id), 18 March 2020 (en): day, month, year in both, as short_date writes them."""
    if _missing(day) or day is pd.NaT:
        return MISSING
    return format_date(pd.Timestamp(day).date(), format="d MMMM y", locale=locale(lang))


@lru_cache(maxsize=4096)
def short_date(day: date | datetime | pd.Timestamp, lang: str) -> str:
    """18 Mar 2020 in both languages (Mei, Agu, Okt, Des in Indonesian)."""
    if _missing(day) or day is pd.NaT:
        return MISSING
    return format_date(pd.Timestamp(day).date(), format="d MMM y", locale=locale(lang))


def plotly_separators(lang: str) -> str:
    """Plotly's layout.separators: the decimal mark, then the thousands separator."""
    locale(lang)
    return PLOTLY_SEPARATORS[lang]


def plain(text) -> str:
    """`text` for markdown (st.markdown, captions, titles, labels) that shows as written, on one line."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", CONTROL_CHARACTERS.sub(" ", str(text)))


def chart_text(text) -> str:
    """`text` for a plotly label, title or hover text that shows as written, not as plotly's HTML."""
    return html.escape(str(text), quote=False)


def shortened(name, limit: int = NAME_LIMIT) -> str:
    """`name` cut to `limit` characters, the cut marked with an ellipsis."""
    text = str(name)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
