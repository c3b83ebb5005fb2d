"""The field rules of rules.sql and the vocabularies they look up, registered once per connection.

Each vocabulary maps the terms a value may be written with (any case) to its code: areas by code,
BPS code or name (from the store being loaded into), sex, area levels, education levels and age groups
(from data/), and the words that mark a totals row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from sensus import store

RULES_SQL = Path(__file__).with_name("rules.sql")
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
SEX_TERMS = {
    1: ("1", "l", "lk", "laki-laki", "laki laki", "laki_laki", "lakilaki", "laki", "pria", "m", "male", "man"),
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


def register(con: duckdb.DuckDBPyConnection) -> None:
    """The rules and their vocabularies, in `con` with the store attached as `store`."""
    con.execute("""
        create temp table area_terms as
        select term, code, level, is_name
        from (
            select lower(code) as term, code, level, false as is_name, 1 as preference from store.areas
            union all
            select lower(bps_code), code, level, false, 1 from store.areas where bps_code is not null
            union all
            select lower(name), code, level, true, 2 from store.areas
            union all
            select lower(bps_name), code, level, true, 3 from store.areas where bps_name is not null
        )
        qualify row_number() over (partition by term order by preference, level = 'village') = 1
    """)
    vocabulary(con, "totals_terms", ["term"], [(word,) for word in TOTALS_WORDS])
    vocabulary(con, "sex_terms", ["term", "sex"], [(term, code) for code, terms in SEX_TERMS.items() for term in terms])
    vocabulary(
        con, "level_terms", ["term", "level"], [(term, level) for level, terms in LEVEL_TERMS.items() for term in terms]
    )
    vocabulary(con, "level_above", ["level", "above"], list(LEVEL_ABOVE.items()))
    # A level's terms name all of it (part null) or one of the finer levels it sums (part 1, 2, ...: Dukcapil's
    # DIPLOMA I/II and AKADEMI/DIPLOMA III are both Diploma I-III).
    education = store.read_reference("education.csv")
    terms = {
        (term.strip().lower(), int(row.code), None)
        for row in education.itertuples()
        for term in [row.code, row.label_id, row.label_en, *row.aliases.split("|")]
        if term.strip()
    } | {
        (term.strip().lower(), int(row.code), part)
        for row in education.itertuples()
        for part, group in enumerate(filter(None, row.parts.split("|")), start=1)
        for term in group.split(";")
    }
    vocabulary(con, "education_terms", ["term", "code", "part"], sorted(terms, key=str))
    groups = store.read_reference("age_groups.csv")
    vocabulary(
        con,
        "age_groups",
        ["label", "age_from", "age_to"],
        [(row.age_group, int(row.lower), int(row.upper) if row.upper else None) for row in groups.itertuples()],
    )
    # Age group terms are the labels as the macro age_label reads them, made once the macros are.
    con.execute("create temp table age_group_terms (term varchar, age_from smallint, age_to smallint)")
    con.execute(RULES_SQL.read_text())
    con.execute("insert into age_group_terms select age_label(label), age_from, age_to from age_groups")
    con.execute(
        "create or replace temp table education_terms as "
        "select distinct education_term(term) as term, code, part::smallint as part from education_terms"
    )


def vocabulary(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    con.register("terms", pd.DataFrame(rows, columns=columns))
    con.execute(f"create temp table {table} as select * from terms")
    con.unregister("terms")


def expected_values(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, object]]:
    """The values that the expected text of a rule names, by rule."""
    max_age, groups, top = con.execute(
        "select max_age(), (select string_agg(label, ', ' order by age_from) from age_groups), "
        "(select label from age_groups where age_to is null)"
    ).fetchone()
    return {"age": {"max_age": str(max_age)}, "age_group": {"groups": groups, "top": top}}
