"""Loading real census extracts: python -m sensus ingest KIND FILE.

The file is read (sensus.ingest.readers), its columns matched by their English or Indonesian names, and
every value checked and normalised in DuckDB SQL against the store's areas and the reference codes
in data/. Person rows are summed into counts on the way in. The result goes into a copy of the
store that replaces it only when the whole file, and then the store's own checks, pass.

Values are checked once per distinct combination (person rows) or once per row (tables of
counts), so a problem is reported at the first row where it occurs, with the number of other rows
that share it.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from sensus import check, store
from sensus.ingest.readers import SHOWN_PROBLEMS, IngestError, Problem, Source, printable, printable_name, read

KINDS = ("areas", "population", "online", "asn")
MAX_AGE = 120
TOTALS_WORDS = (
    "jumlah",
    "total",
    "jumlah total",
    "total keseluruhan",
    "grand total",
    "subtotal",
    "sub total",
    "jml",
    "semua",
    "all",
)
SEX_EXPECTED = "1/2, L/P, Laki-laki/Perempuan, M/F or Male/Female"
SEX_TERMS = {
    1: ("1", "l", "lk", "laki-laki", "laki laki", "lakilaki", "laki", "pria", "m", "male", "man"),
    2: ("2", "p", "pr", "perempuan", "wanita", "f", "female", "woman"),
}
LEVEL_TERMS = {
    "nation": ("nation", "negara"),
    "province": ("province", "provinsi", "propinsi"),
    "regency": ("regency", "kabupaten", "kota", "kabupaten/kota", "kab/kota", "kabupaten kota"),
    "district": ("district", "kecamatan", "distrik"),
    "village": ("village", "kelurahan", "desa", "desa/kelurahan", "kelurahan/desa"),
}
LEVEL_ABOVE = {"province": "nation", "regency": "province", "district": "regency", "village": "district"}


# ---------------------------------------------------------------- how a column's values are read


@dataclass(frozen=True)
class Parsed:
    """SQL for one column: its normalised values, and what was expected when a value is wrong
    (null when it is fine), where @name stands for the value `name` computed first.
    `join` names a vocabulary table matched on its `term`."""

    values: dict[str, str]
    problem: str
    join: tuple[str, str] | None = None


def problem_case(text: str, required: bool, *branches: tuple[str, str], totals: bool = False) -> str:
    """The CASE giving what was expected: empty, formula and totals cells first, then `branches`."""
    whens = [
        f"when {text} is null then {quote('a value') if required else 'null'}",
        f"when is_formula({text}) then {quote(FORMULA)}",
    ]
    if totals:
        whens.append(f"when lower({text}) in ({', '.join(map(quote, TOTALS_WORDS))}) then {quote(TOTALS)}")
    whens += [f"when {condition} then {quote(expected)}" for condition, expected in branches]
    return "case " + " ".join(whens) + " end"


FORMULA = "a value, not a formula: cells starting with = + - @ are refused"
TOTALS = (
    "a single row, not a totals row: totals rows (Jumlah, Total, kecamatan or kota) must be removed; "
    "the store adds up its own totals"
)


def quote(text: str) -> str:
    """A string literal of this module's own text (never of input)."""
    return "'" + text.replace("'", "''") + "'"


def village(text: str, join: str, required: bool) -> Parsed:
    return Parsed(
        {
            "village_code": f"case when {join}.level = 'village' and not {join}.is_name then {join}.code end",
            "level": f"{join}.level",
            "is_name": f"{join}.is_name",
        },
        problem_case(
            text,
            required,
            (
                "@level is null",
                "a kelurahan/desa code known to the store, Kemendagri (53.71.01.1001) or BPS (5371010011)",
            ),
            ("@level <> 'village'", TOTALS),
            ("@is_name", "a kelurahan/desa code, not a name (load areas first if the code is new)"),
            totals=True,
        ),
        ("area_terms", f"lower({text})"),
    )


def known_area(text: str, join: str, required: bool) -> Parsed:
    return Parsed(
        {"area_code": f"case when not {join}.is_name then {join}.code end"},
        problem_case(
            text, required, ("@area_code is null", "an area code known to the store (Kemendagri 53.71 or BPS 5371)")
        ),
        ("area_terms", f"lower({text})"),
    )


def sex(text: str, join: str, required: bool) -> Parsed:
    return Parsed(
        {"sex": f"{join}.sex"},
        problem_case(text, required, ("@sex is null", SEX_EXPECTED), totals=True),
        ("sex_terms", f"lower({text})"),
    )


def age(text: str, join: str, required: bool) -> Parsed:
    years = f"try_cast(case when regexp_full_match({text}, '[0-9]{{1,3}}') then {text} end as smallint)"
    return Parsed(
        {"age_from": years, "age_to": years},
        problem_case(
            text,
            required,
            (f"@age_from is null or @age_from > {MAX_AGE}", f"a whole number of years from 0 to {MAX_AGE}"),
            totals=True,
        ),
    )


def age_group(text: str, join: str, required: bool) -> Parsed:
    labels = ", ".join(store.read_reference("age_groups.csv")["age_group"])
    return Parsed(
        {"age_from": f"{join}.age_from", "age_to": f"{join}.age_to"},
        problem_case(text, required, ("@age_from is null", f"an age group: {labels}"), totals=True),
        ("age_group_terms", f"age_label({text})"),
    )


def education(text: str, join: str, required: bool) -> Parsed:
    return Parsed(
        {"education": f"{join}.code"},
        problem_case(
            text,
            required,
            ("@education is null", "an education code 1-8 or its label, such as SD/sederajat (data/education.csv)"),
            totals=True,
        ),
        ("education_terms", f"lower(regexp_replace({text}, '\\s+', ' ', 'g'))"),
    )


def count(text: str, join: str, required: bool) -> Parsed:
    return Parsed(
        {"count": f"count_value({text})"},
        problem_case(
            text,
            required,
            ("@count is null", "a whole number, such as 1234 or 1.234"),
            ("@count < 0", "a count of 0 or more"),
            ("@count <> trunc(@count)", "a whole number: fractional counts are refused in a table of counts"),
        ),
    )


def weight(text: str, join: str, required: bool) -> Parsed:
    return Parsed(
        {"weight": f"number_value({text})"},
        problem_case(
            text, required, ("@weight is null or @weight < 0", "a sample weight of 0 or more, such as 1 or 12,5")
        ),
    )


def day(text: str, join: str, required: bool) -> Parsed:
    return Parsed(
        {"date": f"date_value({text})"},
        problem_case(text, required, ("@date is null", "a date such as 2020-03-02 or 02/03/2020")),
    )


def plain_text(text: str, join: str, required: bool) -> Parsed:
    return Parsed({"text": text}, problem_case(text, required))


def area_code_text(text: str, join: str, required: bool) -> Parsed:
    return Parsed(
        {"text": text},
        problem_case(
            text,
            required,
            (
                f"not regexp_full_match({text}, '[0-9]+(\\.[0-9]+)*')",
                "a Kemendagri code of digits and dots, such as 53.71.01.1001",
            ),
        ),
    )


def bps_code(text: str, join: str, required: bool) -> Parsed:
    return Parsed(
        {"text": text},
        problem_case(
            text, required, (f"not regexp_full_match({text}, '[0-9]+')", "a BPS code of digits, such as 5371010011")
        ),
    )


def level(text: str, join: str, required: bool) -> Parsed:
    return Parsed(
        {"level": f"{join}.level"},
        problem_case(
            text,
            required,
            (
                "@level is null",
                "a level: province/provinsi, regency/kabupaten/kota, district/kecamatan or village/kelurahan/desa",
            ),
        ),
        ("level_terms", f"lower({text})"),
    )


def number_between(low: float, high: float, what: str) -> Callable[..., Parsed]:
    def parse(text: str, join: str, required: bool) -> Parsed:
        return Parsed(
            {"number": f"number_value({text})"},
            problem_case(text, required, (f"@number is null or @number < {low} or @number > {high}", what)),
        )

    return parse


# ---------------------------------------------------------------- what each kind of file holds


@dataclass(frozen=True)
class Field:
    name: str
    aliases: tuple[str, ...]
    parse: Callable[..., Parsed]
    required: bool = True  # a cell of this column may not be empty

    @property
    def shown(self) -> str:
        return f"{self.aliases[0]} ({self.name})" if self.aliases else self.name


FIELDS = {
    "population": (
        Field(
            "area_code",
            ("kode_wilayah", "kode_desa", "kode_kelurahan", "kode_desa_kelurahan", "village_code", "kode"),
            village,
        ),
        Field("sex", ("jenis_kelamin", "jk", "kelamin", "gender"), sex),
        Field("age", ("umur", "usia"), age),
        Field("age_group", ("kelompok_umur", "kelompok_usia", "kel_umur", "golongan_umur"), age_group),
        Field(
            "education", ("pendidikan", "ijazah", "ijazah_tertinggi", "pendidikan_tertinggi"), education, required=False
        ),
        Field("persons", ("jumlah", "jumlah_penduduk", "penduduk", "count", "n"), count),
        Field("weight", ("bobot", "perwt", "penimbang", "wt"), weight),
    ),
    "online": (
        Field("date", ("tanggal", "tgl"), day),
        Field("area_code", ("kode_wilayah", "kode_desa", "kode_kelurahan", "village_code", "kode"), village),
        Field("households_base", ("kk_basis", "jumlah_kk"), count),
        Field("households_submitted", ("kk_terkirim",), count),
        Field("households_complete", ("kk_selesai",), count),
    ),
    "asn": (
        Field("date", ("tanggal", "tgl"), day),
        Field("agency_code", ("kode_opd",), plain_text),
        Field("agency_name", ("nama_opd",), plain_text),
        Field("short_name", ("singkatan", "nama_singkat"), plain_text, required=False),
        Field("area_code", ("kode_wilayah",), known_area),
        Field("employees", ("jumlah_asn", "asn"), count),
        Field("complete", ("asn_selesai",), count),
    ),
    "areas": (
        Field("level", ("tingkat",), level),
        Field("code", ("kode", "kode_wilayah", "kode_kemendagri"), area_code_text),
        Field("bps_code", ("kode_bps",), bps_code, required=False),
        Field("name", ("nama", "nama_wilayah"), plain_text),
        Field("bps_name", ("nama_bps",), plain_text, required=False),
        Field("parent_code", ("kode_induk",), area_code_text, required=False),
        Field(
            "area_km2",
            ("luas_km2", "luas"),
            number_between(0, 1e7, "an area in km2 of 0 or more, such as 86,91"),
            required=False,
        ),
        Field("area_source", ("sumber_luas",), plain_text, required=False),
        Field(
            "lat",
            ("lintang", "latitude"),
            number_between(-90, 90, "a latitude from -90 to 90, such as -10,2"),
            required=False,
        ),
        Field(
            "lon",
            ("bujur", "longitude"),
            number_between(-180, 180, "a longitude from -180 to 180, such as 123,6"),
            required=False,
        ),
    ),
}

MACROS = r"""
create or replace macro number_value(t) as case
    when regexp_full_match(t, '[+-]?[0-9]+') then try_cast(t as double)
    -- Indonesian: dots group thousands, a comma marks decimals (442.758; 27,95)
    when regexp_full_match(t, '[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+(,[0-9]+)?')
        then try_cast(replace(replace(t, '.', ''), ',', '.') as double)
    when regexp_full_match(t, '[+-]?[0-9]*,[0-9]+') then try_cast(replace(t, ',', '.') as double)
    -- English: commas group thousands (1,234,567), a dot marks decimals (0.125)
    when regexp_full_match(t, '[+-]?[1-9][0-9]{0,2}(,[0-9]{3}){2,}(\.[0-9]+)?')
        then try_cast(replace(t, ',', '') as double)
    when regexp_full_match(t, '[+-]?[0-9]*\.[0-9]+') then try_cast(t as double)
end;
create or replace macro is_formula(t) as
    regexp_matches(t, '^\s*[=+\-@]') and number_value(t) is null and t <> '-';
-- BPS tables write a dash for nil.
create or replace macro count_value(t) as case when t = '-' then 0 else number_value(t) end;
create or replace macro date_value(t) as coalesce(
    try_strptime(t, '%Y-%m-%d'), try_strptime(t, '%d/%m/%Y'), try_strptime(t, '%d-%m-%Y'),
    try_strptime(t, '%Y-%m-%d %H:%M:%S'))::date;
-- "75 tahun ke atas", "75 +", "05 - 09" read as 75+ and 5-9.
create or replace macro age_label(t) as regexp_replace(
    replace(replace(replace(regexp_replace(lower(t), '\s+|tahun|thn', '', 'g'), 'keatas', '+'), '–', '-'),
            '—', '-'),
    '(^|-)0+([0-9])', '\1\2', 'g');
"""


def normalised_header(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", header.strip().lower()).strip("_")


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_label(source: Source, index: int) -> str:
    header = source.headers[index]
    return printable(header, 40) if header.strip() else f"{column_letter(index)} (no header)"


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class IngestReport:
    kind: str
    source_file: str
    sha256: str
    rows_read: int
    persons_read: int | None
    persons_stored: int | None
    rows_stored: int
    dataset_id: int
    ignored_columns: tuple[str, ...]
    seconds: float

    def lines(self) -> list[str]:
        lines = [
            f"Read {self.rows_read:,} rows from {self.source_file}"
            + (f": {self.persons_read:,} persons" if self.persons_read is not None else "")
        ]
        if self.persons_stored is not None:
            lines.append(
                f"Stored {self.persons_stored:,} persons in {self.rows_stored:,} cells "
                "(village x sex x age x education)"
            )
        else:
            lines.append(f"Stored {self.rows_stored:,} rows")
        if self.ignored_columns:
            lines.append(f"Ignored columns: {', '.join(self.ignored_columns)}")
        lines.append(
            f"Dataset #{self.dataset_id} ({self.kind}) recorded, sha256 {self.sha256}; "
            f"now in force for {self.kind} ({self.seconds:.1f} s)"
        )
        return lines


# ---------------------------------------------------------------- the whole load


def ingest_file(
    kind: str,
    path: str | os.PathLike,
    db: str | os.PathLike | None = None,
    sheet: str | None = None,
    display_name: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> IngestReport:
    """Check the whole file and, only when it is right, load it into the store `db`.
    Raises IngestError (the store unchanged) listing what is wrong: file, row, column, value, expected."""
    started = time.perf_counter()
    progress = progress or (lambda message: None)
    path = Path(path)
    name = printable_name(display_name or path.name)
    if kind not in KINDS:
        raise IngestError([Problem(name, None, None, kind, f"a kind of data: {', '.join(KINDS)}")])
    target = store.db_path(db)
    if not target.exists():
        raise IngestError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"cannot be loaded: there is no store at {target}; "
                    "build one first with `python -m sensus build-sample`",
                )
            ]
        )
    try:
        with duckdb.connect() as con:
            source = read(con, path, name, sheet, progress)
            digest = store.sha256_of(path)
            progress(f"checking {source.rows:,} rows")
            con.execute("attach $path as store (read_only)", {"path": str(target)})
            prepare_vocabulary(con)
            staged = STAGES[kind](con, source)
        progress("loading into a copy of the store")
        with store.replacing(target) as copy:
            rows_stored = staged.load(copy)
            store.refresh_rollups(copy)
            dataset_id = store.record_dataset(
                copy,
                kind=kind,
                source_file=name,
                sha256=digest,
                rows_read=staged.rows_read,
                persons_read=staged.persons_read,
                synthetic=False,
                description_key="dataset.file",
                description_values={"kind": kind, "file": name, "format": source.format.upper()},
            )
            persons_stored = None
            if kind == "population":
                persons_stored = copy.execute("select coalesce(sum(persons), 0)::bigint from population").fetchone()[0]
                if persons_stored != staged.persons_read:
                    raise IngestError(
                        [
                            Problem(
                                name,
                                None,
                                None,
                                None,
                                f"was read as {staged.persons_read:,} persons but {persons_stored:,} would be stored",
                            )
                        ]
                    )
            progress("running the store's checks")
            refuse_failed_checks(copy, name)
    except (duckdb.Error, OSError) as error:
        message = str(error).strip().splitlines()[0].replace(str(path), name)
        raise IngestError([Problem(name, None, None, None, f"could not be loaded: {message}")]) from None
    return IngestReport(
        kind,
        name,
        digest,
        staged.rows_read,
        staged.persons_read,
        persons_stored,
        rows_stored,
        dataset_id,
        staged.ignored,
        time.perf_counter() - started,
    )


def refuse_failed_checks(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run the store's checks on the copy being loaded and keep their results; refuse the load when
    one fails."""
    failed = [result for result in check.record_checks(con) if not result.ok]
    if failed:
        raise IngestError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f'would break the store check "{result.description}": '
                    + "; ".join(
                        ", ".join(f"{key} {plain(value)}" for key, value in row.items())
                        for row in result.problems.head(3).to_dict("records")
                    ),
                )
                for result in failed
            ]
        )


def plain(value) -> str:
    """A value of a check's result as text (a day without its midnight)."""
    return str(value.date()) if isinstance(value, pd.Timestamp) and value == value.normalize() else str(value)


def prepare_vocabulary(con: duckdb.DuckDBPyConnection) -> None:
    """The terms a value may be written with, each mapped to its code."""
    con.execute(MACROS)
    con.execute("""
        create temp table area_terms as
        select term, code, level, name, is_name
        from (
            select lower(code) as term, code, level, name, false as is_name, 1 as preference from store.areas
            union all
            select lower(bps_code), code, level, name, false, 1 from store.areas where bps_code is not null
            union all
            select lower(name), code, level, name, true, 2 from store.areas
            union all
            select lower(bps_name), code, level, name, true, 3 from store.areas where bps_name is not null
        )
        qualify row_number() over (partition by term order by preference, level = 'village') = 1
    """)
    vocabulary(con, "sex_terms", ["term", "sex"], [(term, code) for code, terms in SEX_TERMS.items() for term in terms])
    vocabulary(
        con, "level_terms", ["term", "level"], [(term, level) for level, terms in LEVEL_TERMS.items() for term in terms]
    )
    education_levels = store.read_reference("education.csv")
    vocabulary(
        con,
        "education_terms",
        ["term", "code"],
        sorted(
            {
                (term.strip().lower(), int(row.code))
                for row in education_levels.itertuples()
                for term in [row.code, row.label_id, row.label_en, *row.aliases.split("|")]
                if term.strip()
            }
        ),
    )
    groups = store.read_reference("age_groups.csv")
    vocabulary(
        con,
        "raw_age_groups",
        ["label", "age_from", "age_to"],
        [(row.age_group, int(row.lower), int(row.upper) if row.upper else None) for row in groups.itertuples()],
    )
    con.execute(
        "create temp table age_group_terms as "
        "select age_label(label) as term, age_from::smallint as age_from, age_to::smallint as age_to "
        "from raw_age_groups"
    )


def vocabulary(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    con.register("terms", pd.DataFrame(rows, columns=columns))
    con.execute(f"create temp table {table} as select * from terms")
    con.unregister("terms")


# ---------------------------------------------------------------- checking values, in SQL


@dataclass
class Staged:
    """A checked file, ready to load: `load` writes it into the store copy and returns rows stored."""

    load: Callable[[duckdb.DuckDBPyConnection], int]
    rows_read: int
    persons_read: int | None
    ignored: tuple[str, ...]


class Checker:
    """Matches the columns of `source` to the fields of a kind and builds the table `checked`:
    per row (or per distinct combination) the text of each field, its normalised values
    (`<field>_<value>`) and its problem (`<field>_problem`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, source: Source, kind: str):
        self.con, self.source = con, source
        self.fields = {field.name: field for field in FIELDS[kind]}
        self.columns: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.rows_read = 0
        self.checks: list[tuple[str, str]] = []  # (column label, select of row, rows, value, expected)
        self.match_columns()

    @property
    def name(self) -> str:
        return self.source.name

    def match_columns(self) -> None:
        by_header: dict[str, int] = {}
        for index, header in enumerate(self.source.headers):
            key = normalised_header(header)
            if not key:
                continue
            if key in by_header:
                self.problems.append(
                    Problem(
                        self.name,
                        1,
                        column_label(self.source, index),
                        header,
                        f"each column name once, but columns {column_letter(by_header[key])} "
                        f"and {column_letter(index)} "
                        f"are both named {key}",
                    )
                )
                continue
            by_header[key] = index
            field = next((field for field in self.fields.values() if key in (field.name, *field.aliases)), None)
            if field is None:
                continue
            if field.name in self.columns:
                other = self.columns[field.name]
                self.problems.append(
                    Problem(
                        self.name,
                        1,
                        column_label(self.source, index),
                        header,
                        f"one column for {field.shown}: {column_letter(other)} "
                        f"({shown_header(self.source.headers[other])}) already gives it",
                    )
                )
                continue
            self.columns[field.name] = index

    def require(self, *names: str) -> None:
        """Note a problem for each required field, or group of alternatives, without a column."""
        missing = [name for name in names if name not in self.columns]
        if missing and len(missing) == len(names):
            wanted = " or ".join(self.fields[name].shown for name in names)
            found = ", ".join(shown_header(header) for header in self.source.headers if header.strip()) or "none"
            self.problems.append(
                Problem(self.name, 1, None, None, f"is missing the column {wanted}; the header has {found}")
            )

    def ignore(self, *names: str) -> None:
        for name in names:
            self.columns.pop(name, None)

    @property
    def ignored(self) -> tuple[str, ...]:
        used = set(self.columns.values())
        return tuple(
            column_label(self.source, index)
            for index in range(len(self.source.headers))
            if index not in used and self.source.headers[index].strip()
        )

    def text(self, column: str, index: int) -> str:
        """SQL giving the text of `column`, read from the file's column `index`: trimmed, null when
        empty; numbers that are not whole get a decimal comma (as in Indonesian) so that they read
        back unambiguously."""
        kind = self.source.types[index]
        if kind == "VARCHAR":
            return f"nullif(trim({column}, ' \t\r\n\u00a0'), '')"
        if kind in ("FLOAT", "DOUBLE") or kind.startswith("DECIMAL"):
            return (
                f"case when {column} = trunc({column}) and abs({column}) < 1e15 "
                f"then trunc({column})::bigint::varchar else replace({column}::varchar, '.', ',') end"
            )
        return f"{column}::varchar"

    def build(self, per_row: bool) -> None:
        """Create `checked`, stopping first if a column is missing or doubled."""
        if self.problems:
            raise IngestError(self.problems)
        not_empty = " or ".join(f"c{index} is not null" for index in range(len(self.source.headers)))
        key = ", ".join(f"c{index} as {name}_raw" for name, index in self.columns.items())
        if per_row:
            groups = f"select _row as first_row, 1 as rows, {key} from source where {not_empty}"
        else:
            groups = (
                f"select {key}, count(*) as rows, min(_row) as first_row from source where {not_empty} group by all"
            )
        self.con.execute(f"create temp table groups as {groups}")
        self.rows_read = self.con.execute("select coalesce(sum(rows), 0)::bigint from groups").fetchone()[0]
        if not self.rows_read:
            raise IngestError([Problem(self.name, None, None, None, "has a header but only empty rows")])

        texts = ", ".join(f"{self.text(f'{name}_raw', index)} as {name}_text" for name, index in self.columns.items())
        values, problems, joins = [], [], []
        for name in self.columns:
            field = self.fields[name]
            parsed = field.parse(f"{name}_text", f"{name}_terms", field.required)
            values += [f"{sql} as {name}_{value}" for value, sql in parsed.values.items()]
            problem = parsed.problem
            for value in parsed.values:
                problem = problem.replace(f"@{value}", f"{name}_{value}")
            problems.append(f"{problem} as {name}_problem")
            if parsed.join:
                table, term = parsed.join
                joins.append(f"left join {table} as {name}_terms on {name}_terms.term = {term}")
            self.check(name, f"select first_row, rows, {name}_text, {name}_problem from checked")
        self.con.execute(f"""
            create temp table checked as
            with texts as (select first_row, rows, {texts} from groups),
            parsed as (select texts.*, {", ".join(values)} from texts {" ".join(joins)})
            select *, {", ".join(problems)} from parsed
        """)
        self.check_formulas_in_ignored_columns()

    def check(self, label: str, select: str) -> None:
        """Add a check: `select` gives (row, rows, value, expected) with expected null when fine;
        `label` is a field name or a text naming the columns."""
        if label in self.columns:
            label = column_label(self.source, self.columns[label])
        self.checks.append((label, select))

    def check_formulas_in_ignored_columns(self) -> None:
        used = set(self.columns.values())
        for index, kind in enumerate(self.source.types):
            if index not in used and kind == "VARCHAR":
                text = self.text(f"c{index}", index)
                self.checks.append(
                    (
                        column_label(self.source, index),
                        f"select _row, 1, {text}, case when is_formula({text}) then {quote(FORMULA)} end from source",
                    )
                )

    def labels(self, *names: str) -> str:
        return ", ".join(column_label(self.source, self.columns[name]) for name in names if name in self.columns)

    def duplicates(self, names: list[str], what: str) -> None:
        """Refuse a second row with the same normalised key."""
        keys = [f"{name}_{value}" for name in names for value in self.value_names(name)]
        key_text = " || ', ' || ".join(f"coalesce({name}_text, '')" for name in names)
        self.check(
            self.labels(*names),
            f"""
            select first_row, rows, {key_text},
                case when row_number() over keys > 1
                    then {quote(f"each {what} once, but it was already in row ")} || min(first_row) over keys end
            from checked
            where {" and ".join(f"{name}_problem is null" for name in names)}
            window keys as (partition by {", ".join(keys)} order by first_row)
        """,
        )

    def at_most(self, smaller: str, larger: str) -> None:
        """Refuse a row whose count `smaller` is above its count `larger`."""
        self.check(
            smaller,
            f"""
            select first_row, rows, {smaller}_text,
                {quote(f"at most {self.fields[larger].shown}, ")} || {larger}_text
            from checked
            where {smaller}_count > {larger}_count
        """,
        )

    def value_names(self, name: str) -> list[str]:
        field = self.fields[name]
        return list(field.parse("t", "j", field.required).values)

    def refuse_problems(self) -> None:
        """Raise IngestError with the problems found, the first ones first."""
        if not self.checks:
            return
        union = " union all ".join(
            f"select {number} as check_number, * from ({select}) as found(row, rows, value, expected)"
            for number, (_, select) in enumerate(self.checks)
        )
        summary = f"""
            select check_number, min(row) as row, value, expected, sum(rows) - 1 as more_rows
            from ({union})
            where expected is not null
            group by check_number, value, expected
        """
        total = self.con.execute(f"select count(*) from ({summary})").fetchone()[0]
        if not total:
            return
        rows = self.con.execute(f"{summary} order by row, check_number limit {SHOWN_PROBLEMS}").fetchall()
        raise IngestError(
            [
                Problem(
                    self.name, row, self.checks[number][0], "" if value is None else value, expected, int(more_rows)
                )
                for number, row, value, expected, more_rows in rows
            ],
            total=total,
        )


def shown_header(header: str) -> str:
    return f'"{printable(header, 40)}"'


# ---------------------------------------------------------------- each kind


def replacing_rows(table: str, frame: pd.DataFrame) -> Callable[[duckdb.DuckDBPyConnection], int]:
    """A Staged.load that puts `frame`'s rows in place of all of `table`'s."""

    def load(copy: duckdb.DuckDBPyConnection) -> int:
        copy.execute(f"delete from {table}")
        copy.register("staged", frame)
        copy.execute(f"insert into {table} select * from staged")
        copy.unregister("staged")
        return len(frame)

    return load


def stage_population(con: duckdb.DuckDBPyConnection, source: Source) -> Staged:
    checker = Checker(con, source, "population")
    checker.require("area_code")
    checker.require("sex")
    checker.require("age", "age_group")
    if "age" in checker.columns:
        checker.ignore("age_group")
    if {"persons", "weight"} <= checker.columns.keys():
        checker.problems.append(
            Problem(
                source.name,
                1,
                checker.labels("persons", "weight"),
                None,
                "has both a count column and a weight column: give either a table of counts (jumlah) or person "
                "rows with an optional sample weight (bobot, PERWT)",
            )
        )
    counts = "persons" in checker.columns
    checker.build(per_row=counts)
    age_field = "age" if "age" in checker.columns else "age_group"
    if "education" in checker.columns:
        checker.check(
            "education",
            f"""
            select first_row, rows, '', 'an education code or label: it is required from age 5'
            from checked
            where education_text is null and {age_field}_age_from >= 5
        """,
        )
    keys = ["area_code", "sex", age_field] + (["education"] if "education" in checker.columns else [])
    if counts:
        checker.duplicates(keys, "combination of " + ", ".join(keys))
    checker.refuse_problems()

    measure = "rows * persons_count" if counts else ("rows * weight_weight" if "weight" in checker.columns else "rows")
    education_value = (
        f"case when {age_field}_age_from >= 5 then education_education end"
        if "education" in checker.columns
        else "null::tinyint"
    )
    # Weighted persons are rounded per cell after summing, by largest remainder, so that the cells
    # add up to the rounded total of the weights.
    con.execute(f"""
        create temp table cells as
        with exact as (
            select
                area_code_village_code as village_code,
                sex_sex as sex,
                {age_field}_age_from as age_from,
                {age_field}_age_to as age_to,
                {education_value} as education,
                sum({measure}) as persons
            from checked
            group by all
        ),
        shortfall as (
            select round(sum(persons)) - sum(floor(persons)) as units from exact
        )
        select
            village_code, sex::tinyint as sex, age_from, age_to, education::tinyint as education,
            (floor(persons) + (row_number() over (order by persons - floor(persons) desc, village_code, sex,
                                                   age_from, education) <= shortfall.units)::int)::bigint as persons
        from exact, shortfall
    """)
    persons_read = con.execute("select coalesce(sum(persons), 0)::bigint from cells").fetchone()[0]
    cells = con.execute("select * from cells where persons > 0 order by village_code, sex, age_from, education").df()

    return Staged(replacing_rows("population", cells), checker.rows_read, persons_read, checker.ignored)


def stage_online(con: duckdb.DuckDBPyConnection, source: Source) -> Staged:
    checker = Checker(con, source, "online")
    for name in checker.fields:
        checker.require(name)
    checker.build(per_row=True)
    checker.at_most("households_complete", "households_submitted")
    checker.at_most("households_submitted", "households_base")
    checker.duplicates(["date", "area_code"], "date and kelurahan/desa")
    checker.refuse_problems()
    progress = con.execute("""
        select date_date as date, area_code_village_code as village_code,
            households_base_count::bigint as households_base,
            households_submitted_count::bigint as households_submitted,
            households_complete_count::bigint as households_complete
        from checked order by village_code, date
    """).df()

    return Staged(replacing_rows("online_progress", progress), checker.rows_read, None, checker.ignored)


def stage_asn(con: duckdb.DuckDBPyConnection, source: Source) -> Staged:
    checker = Checker(con, source, "asn")
    for name in ("date", "agency_code", "agency_name", "employees", "complete"):
        checker.require(name)
    regencies = con.execute("select code from store.areas where level = 'regency'").fetchall()
    if "area_code" not in checker.columns and len(regencies) != 1:
        checker.require("area_code")
    default_area = regencies[0][0] if len(regencies) == 1 else None
    checker.build(per_row=True)
    checker.at_most("complete", "employees")
    checker.duplicates(["date", "agency_code"], "date and agency")
    area = "area_code_area_code" if "area_code" in checker.columns else "$default_area"
    short_name = (
        "coalesce(short_name_text, agency_name_text)" if "short_name" in checker.columns else "agency_name_text"
    )
    con.execute(
        f"""
        create temp table agency_rows as
        select first_row, agency_code_text as code, agency_name_text as name, {short_name} as short_name,
            {area} as area_code
        from checked
    """,
        {"default_area": default_area} if area.startswith("$") else None,
    )
    checker.check(
        "agency_name",
        """
        select first_row, 1, name,
            case when name is distinct from first_name or short_name is distinct from first_short_name
                    or area_code is distinct from first_area_code
                then 'the same name, short name and area for agency ' || code || ' as in row ' || first_in end
        from (
            select *,
                first_value(name) over agency as first_name,
                first_value(short_name) over agency as first_short_name,
                first_value(area_code) over agency as first_area_code,
                first_value(first_row) over agency as first_in
            from agency_rows
            window agency as (partition by code order by first_row)
        )
    """,
    )
    checker.refuse_problems()
    agencies = con.execute(
        "select distinct on (code) code, name, short_name, area_code from agency_rows order by code, first_row"
    ).df()
    progress = con.execute("""
        select date_date as date, agency_code_text as agency_code, employees_count::bigint as employees,
            complete_count::bigint as complete
        from checked order by agency_code, date
    """).df()

    def load(copy: duckdb.DuckDBPyConnection) -> int:
        copy.execute("delete from asn_progress")
        copy.execute("delete from agencies")
        copy.register("agency_list", agencies)
        copy.execute("insert into agencies by name select * from agency_list")
        copy.register("progress", progress)
        copy.execute("insert into asn_progress select * from progress")
        for table in ("agency_list", "progress"):
            copy.unregister(table)
        return len(progress)

    return Staged(load, checker.rows_read, None, checker.ignored)


def stage_areas(con: duckdb.DuckDBPyConnection, source: Source) -> Staged:
    checker = Checker(con, source, "areas")
    for name in ("level", "code", "name", "parent_code"):
        checker.require(name)
    checker.build(per_row=True)
    checker.duplicates(["code"], "area code")
    if "bps_code" in checker.columns:
        checker.duplicates(["bps_code"], "BPS code")
        checker.check(
            "bps_code",
            """
            select first_row, rows, bps_code_text, 'a BPS code not held by another area (' || areas.code || ' has it)'
            from checked
            join store.areas as areas on areas.bps_code = checked.bps_code_text and areas.code <> checked.code_text
        """,
        )
    checker.check(
        "parent_code",
        f"""
        with known as (
            select code, level from store.areas where code not in (select code_text from checked)
            union all
            select code_text, level_level from checked
        )
        select first_row, rows, parent_code_text,
            case
                when known.code is null then 'the code of an area in the store or in this file'
                when known.level is distinct from {level_above("checked.level_level")}
                    then 'the code of a ' || coalesce({level_above("checked.level_level")}, 'nothing: '
                         || checked.level_level || ' is the top level') || ', not of a ' || known.level
            end
        from checked
        left join known on known.code = checked.parent_code_text
        where parent_code_text is not null and level_problem is null
    """,
    )
    checker.refuse_problems()
    present = checker.columns.keys()

    def given(name: str, value: str) -> str:
        """The file's value where the file has the column, else the stored one (for an update)."""
        return f"checked.{name}_{value}" if name in present else f"areas.{name}"

    frame = con.execute(f"""
        select
            checked.code_text as code,
            {given("bps_code", "text")} as bps_code,
            checked.name_text as name,
            {given("bps_name", "text")} as bps_name,
            checked.level_level as level,
            checked.parent_code_text as parent_code,
            {given("area_km2", "number")} as area_km2,
            {given("area_source", "text")} as area_source,
            {given("lat", "number")} as lat,
            {given("lon", "number")} as lon
        from checked
        left join store.areas as areas on areas.code = checked.code_text
        order by checked.first_row
    """).df()

    def load(copy: duckdb.DuckDBPyConnection) -> int:
        store.load_areas(copy, frame)
        return len(frame)

    return Staged(load, checker.rows_read, None, checker.ignored)


def level_above(level_sql: str) -> str:
    return (
        "case "
        + " ".join(f"when {level_sql} = {quote(level)} then {quote(above)}" for level, above in LEVEL_ABOVE.items())
        + " end"
    )


STAGES = {"population": stage_population, "online": stage_online, "asn": stage_asn, "areas": stage_areas}
