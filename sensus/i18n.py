"""Every user-facing word, in Bahasa Indonesia (first) and English, read from the catalog in sensus/locales/.

`<lang>.toml` holds the messages of one language, grouped in tables by page or topic; the dotted path of a
message is its key: `t("ringkasan.map", lang)`. `indicators.toml` holds each indicator's display format
and, per language, its name, definition, formula, source and unit. Add a message to every language's
file, with the same {placeholders}, and use it. An unknown key or language is a KeyError: nothing falls
back to another language.
"""

from __future__ import annotations

import json
import math
import tomllib
from functools import cache
from pathlib import Path

import pandas as pd

from sensus import formatting
from sensus.store import read_reference

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LANGUAGE_NAMES = {"id": "ID", "en": "EN"}
INDICATOR_FORMATS = {"number": formatting.decimal, "decimal": formatting.decimal, "percent": formatting.percent}


def _read(name: str) -> dict:
    with open(LOCALES_DIR / name, "rb") as file:
        return tomllib.load(file)


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for name, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[prefix + name] = value
    return flat


def _checked(lang: str) -> str:
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language {lang!r}; languages are {LANGUAGES}")
    return lang


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every message of one language, by its dotted key."""
    return _flatten(_read(f"{_checked(lang)}.toml"))


@cache
def _indicators() -> dict[str, dict]:
    return _read("indicators.toml")


HEADLINE_INDICATORS = ("persons", "sex_ratio", "median_age", "dependency_total", "density", "higher_education_share")
INDICATORS = tuple(_indicators())  # in the order of indicators.toml


def t(key: str, lang: str, **values) -> str:
    """The text for `key` in `lang`, with {placeholders} filled from `values`."""
    if lang not in LANGUAGES:
        raise KeyError(f"no {lang!r} text for {key!r}; languages are {LANGUAGES}")
    try:
        text = catalog(lang)[key]
    except KeyError:
        raise KeyError(f"no text for {key!r} in sensus/locales/{lang}.toml") from None
    return text.format(**values) if values else text


def sex_label(code: int | None, lang: str) -> str:
    """Laki-laki or Perempuan; for data without sex (a missing code), both."""
    return t("sex.all" if pd.isna(code) else f"sex.{int(code)}", lang)


def level_label(level: str, lang: str) -> str:
    """The name of one area level: Kecamatan, Kelurahan/desa..."""
    return t(f"level.{level}", lang)


def level_noun(level: str, lang: str) -> str:
    """One area of a level, in running text: kecamatan, kelurahan/desa (id); district, village (en)."""
    return t(f"noun.{level}", lang)


def levels_label(level: str, lang: str) -> str:
    """The plural, in running text: kecamatan, kelurahan/desa (id); districts, villages (en)."""
    return t(f"levels.{level}", lang)


@cache
def _education() -> dict[str, dict[int, str]]:
    levels = read_reference("education.csv")
    return {lang: dict(zip(levels["code"].astype(int), levels[f"label_{lang}"])) for lang in LANGUAGES}


def education_labels(lang: str) -> dict[int, str]:
    """Education level code -> label, in the order of the levels (data/education.csv)."""
    return dict(_education()[_checked(lang)])


def _indicator(name: str) -> dict:
    try:
        return _indicators()[name]
    except KeyError:
        raise KeyError(f"no indicator {name!r} in sensus/locales/indicators.toml") from None


def _indicator_texts(name: str, lang: str) -> dict[str, str]:
    return _indicator(name)[_checked(lang)]


def indicator_metadata(name: str, lang: str) -> dict[str, str]:
    """An indicator's name, definition, formula and data source."""
    texts = _indicator_texts(name, lang)
    return {field: texts[field] for field in ("name", "definition", "formula", "source")}


def indicator_definitions(lang: str) -> pd.DataFrame:
    """Every indicator's name, definition, formula and data source, one row each, in the catalog's order."""
    return pd.DataFrame([indicator_metadata(name, lang) for name in INDICATORS])


def indicator_short_name(name: str, lang: str) -> str:
    """The name on a card, where room is short: the indicator's short name if it has one."""
    texts = _indicator_texts(name, lang)
    return texts.get("short", texts["name"])


def indicator_unit(name: str, lang: str) -> str | None:
    """The unit an indicator is counted in (jiwa/km², tahun), or None for counts, ratios and shares."""
    return _indicator_texts(name, lang).get("unit")


def indicator_columns(*names: str) -> dict[str, str]:
    """The kind of each indicator's column in a table or download (number, decimal or percent), from its format."""
    return {name: _indicator(name)["format"] for name in names}


def format_indicator(name: str, value, lang: str, *, unit: bool = True, signed: bool = False) -> str:
    """An indicator's value as a card or a sentence shows it (its format and decimals in indicators.toml),
    with its unit unless `unit` is false; `signed`, a change, with + before a rise."""
    display = _indicator(name)
    text = INDICATOR_FORMATS[display["format"]](value, lang, display["decimals"])
    if signed and value is not None and value > 0:
        text = f"+{text}"
    units = indicator_unit(name, lang) if unit else None
    return f"{text} {units}" if units else text


def ratio_in_words(ratio: float, lang: str) -> str:
    """A ratio in plain words: 'sekitar empat kali', 'sekitar setengah', 'hampir sama dengan'."""
    if ratio is None or math.isnan(ratio) or ratio <= 0:
        raise ValueError(f"a ratio in words needs a positive number, got {ratio!r}")
    if 0.9 <= ratio <= 1.1:
        return t("ratio.same", lang)
    if 1.1 < ratio < 1.35:
        return t("ratio.above", lang)
    if 0.75 < ratio < 0.9:
        return t("ratio.below", lang)
    if 1.35 <= ratio < 1.75:
        return t("ratio.one_and_half", lang)
    if 0.6 <= ratio <= 0.75:
        return t("ratio.three_quarters" if ratio >= 0.71 else "ratio.two_thirds", lang)
    if ratio >= 1.75:
        times = round(ratio)
        if times > 10:
            return t("ratio.more_than", lang, n=t("words.number.10", lang))
        return t("ratio.times", lang, n=t(f"words.number.{times}", lang))
    parts = round(1 / ratio)
    if parts > 10:
        return t("ratio.less_than", lang, fraction=t("words.fraction.10", lang))
    return t("ratio.fraction", lang, fraction=t(f"words.fraction.{parts}", lang))


def dataset_description(dataset, lang: str) -> str:
    """A loaded dataset described in `lang`, from its row in the datasets table (a mapping or a pandas row with
    description_key and the JSON of its description_values); the kind of data in an ingested file is named in
    `lang` too."""
    values = json.loads(dataset["description_values"])
    if "kind" in values:
        values["kind"] = t(f"dataset.kind.{values['kind']}", lang)
    return t(dataset["description_key"], lang, **values)


def period_label(label: str | None, lang: str) -> str:
    """A population period as the data names it ("2024-1": tahun 2024, semester 1), or the words for a
    period the data did not name."""
    return label if label else t("period.unnamed", lang)
