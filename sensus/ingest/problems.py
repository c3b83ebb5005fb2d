"""What is wrong with an input file, in the user's language.

A Problem names the place (file, row, column), the cell as read, and what was expected as a key of the
message catalog's [ingest] table with the values it names; `text(lang)` writes it out. `str()` and
IngestError.message are English, as the command line speaks it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sensus import formatting, i18n

SHOWN_PROBLEMS = 20
AREA_LEVEL_VALUES = ("level", "above", "parent_level")  # values that name an area level, shown in the language


def message(key: str, lang: str, **values) -> str:
    return i18n.t(f"ingest.{key}", lang, **values)


def shown_value(value, name: str, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return formatting.number(value, lang)
    if isinstance(value, float):
        return formatting.decimal(value, lang, 1)
    if name in AREA_LEVEL_VALUES:
        return message(f"level.{value}", lang)
    return str(value)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file. `value` is the cell as read ("" for an empty cell); `key`
    (under ingest.expected. with a value, ingest.file. without) says what was expected, filled from `values`:
    whole numbers and decimals are written as the language writes them, area levels in its words."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    key: str
    values: Mapping[str, object] = field(default_factory=dict)
    more_rows: int = 0

    def expected(self, lang: str = "en") -> str:
        """What was expected (with a value) or what is wrong (a whole sentence, without one)."""
        group = "file" if self.value is None else "expected"
        return message(f"{group}.{self.key}", lang, **{n: shown_value(v, n, lang) for n, v in self.values.items()})

    def text(self, lang: str = "en") -> str:
        place = self.file
        if self.row is not None:
            place = message("place.row", lang, place=place, row=formatting.number(self.row, lang))
        if self.column is not None:
            columns = "columns" if ", " in self.column else "column"
            place = message(f"place.{columns}", lang, place=place, column=self.column)
        if self.value is None:
            text = message("problem.sentence", lang, place=place, sentence=self.expected(lang))
        else:
            cell = shown(self.value) if self.value else message("problem.empty_cell", lang)
            text = message("problem.value", lang, place=place, value=cell, expected=self.expected(lang))
        if self.more_rows:
            text = message("problem.more_rows", lang, problem=text, count=formatting.number(self.more_rows, lang))
        return text

    def __str__(self) -> str:
        return self.text("en")


class IngestError(Exception):
    """The file was refused; nothing was loaded. `problems` lists what is wrong (the first ones,
    with `total` counting them all)."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = max(total or 0, len(problems))
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.message_in("en")

    def message_in(self, lang: str) -> str:
        name = self.problems[0].file if self.problems else message("refused.the_file", lang)
        count = "one" if self.total == 1 else "many"
        lines = [message(f"refused.{count}", lang, file=name, count=formatting.number(self.total, lang))]
        lines += [f"  {problem.text(lang)}" for problem in self.problems[:SHOWN_PROBLEMS]]
        if self.total > SHOWN_PROBLEMS:
            more = formatting.number(self.total - SHOWN_PROBLEMS, lang)
            lines.append("  " + message("refused.more", lang, count=more))
        return "\n".join(lines)


def refusal(file: str, key: str, **values) -> IngestError:
    """The refusal of a whole file for one reason, `key` under ingest.file."""
    return IngestError([Problem(file, None, None, None, key, values)])


def shown(value: str, limit: int = 60) -> str:
    """A cell value quoted for a message, control characters escaped, long values cut."""
    text = value.encode("unicode_escape").decode("ascii") if not value.isprintable() else value
    return '"' + (text[:limit] + "..." if len(text) > limit else text) + '"'


def printable(text: str, limit: int = 80) -> str:
    """Text fit to show in a message: printable characters only, not too long."""
    return "".join(ch for ch in str(text) if ch.isprintable()).strip()[:limit]


def printable_name(name: str) -> str:
    """A file name the user gave, fit to show: only its last path part, printable."""
    return printable(re.split(r"[\\/]", str(name))[-1]) or "file"
