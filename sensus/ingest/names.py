"""Kelurahan/desa given by name instead of code: each name is matched against the store's areas (their
Kemendagri and BPS names) with the map's normalisation (geo.name_key, then geo.loose_key), within its
kecamatan when the file has a kecamatan column (code or name). A name that is the start of exactly one
area's name there is read as that area (Dukcapil shortens long names); such readings are reported. A
name that fits several areas, or none, is a problem naming the nearest known names."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from sensus.geo import loose_key, name_key
from sensus.ingest.checks import Checked

LEVELS = ("province", "regency", "district", "village")
NEAREST = 3
SHORTEST_PREFIX = 3  # a shortened name keeps at least this many letters


@dataclass(frozen=True)
class Area:
    code: str
    names: tuple[str, ...]
    district: str | None

    @property
    def shown(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class Found:
    """What a name matched: an area (`shortened` when only by its start or spelling) or a problem key with
    the names it lists."""

    code: str | None = None
    shortened: bool = False
    problem: str | None = None
    names: tuple[str, ...] = ()


def keys(name: str) -> tuple[str, str]:
    key = name_key(name)
    return key, loose_key(key)


def find(name: str, areas: list[Area]) -> Found:
    """The one area among `areas` that `name` names, or why there is none."""
    key, loose = keys(name)
    tests = (
        lambda k, lk: k == key,
        lambda k, lk: lk == loose,
        lambda k, lk: len(key) >= SHORTEST_PREFIX and (k.startswith(key) or lk.startswith(loose)),
    )
    for exact, test in zip((True, False, False), tests):
        fits = [area for area in areas if any(test(*keys(known)) for known in area.names)]
        if len(fits) == 1:
            return Found(fits[0].code, shortened=not exact)
        if fits:
            return Found(problem="ambiguous", names=tuple(sorted(area.shown for area in fits)))
    by_spelling = {known.lower(): area.shown for area in areas for known in area.names}
    nearest = difflib.get_close_matches(name.lower(), by_spelling, n=NEAREST, cutoff=0)
    return Found(problem="unknown", names=tuple(dict.fromkeys(by_spelling[near] for near in nearest)))


def resolve(
    con: duckdb.DuckDBPyConnection, checked: Checked, field: str = "area_name"
) -> tuple[Checked, tuple[tuple[str, str, str], ...]]:
    """Give `checked` the columns of field area_code (text, value, problem, details) from the names of `field`:
    kelurahan/desa (area_name, within the kecamatan column's, whose problems it gives too) or kecamatan
    (district_name). Return it with the column of names as area_code, and the names read as a shortened or
    differently spelled area name: (name as given, name in the store, code). A name such as Jumlah or Total
    makes a totals row (problem totals)."""
    columns = checked.columns
    level = {"area_name": "village", "district_name": "district", "regency_name": "regency"}[field]
    district = (
        next((name for name in ("district_code", "district_name") if name in columns.index), None)
        if level == "village"
        else None
    )
    stored = con.execute(
        "select code, bps_code, name, bps_name, level, parent_code from store.areas "
        "where level in ('province', 'regency', 'district', 'village')"
    ).fetchall()
    areas = {
        level: [
            Area(code, tuple(filter(None, (name, bps_name))), parent)
            for code, _, name, bps_name, at, parent in stored
            if at == level
        ]
        for level in LEVELS
    }
    # A name of an area above the file's level (the kota in a table of its kecamatan) is that area: a row of it
    # totals the others, and is checked as such.
    above = [area for at in LEVELS[: LEVELS.index(level)] for area in areas[at]]
    district_codes = {
        known.lower(): code
        for code, bps_code, *_, level, _ in stored
        if level == "district"
        for known in filter(None, (code, bps_code))
    }
    shown = {area.code: area.shown for areas_of_level in areas.values() for area in areas_of_level}
    district_text = f"{district}_text" if district else "null::varchar"
    pairs = con.execute(
        f"select distinct {field}_text, {district_text} from checked "
        f"where {field}_problem is null and totals_problem({field}_text) is null"
        + (f" and {district}_problem is null" if district else "")
    ).fetchall()
    matches, read_as = [], []
    for name, district_given in pairs:
        in_district, district_found = None, Found()
        if district == "district_code":
            in_district = district_codes.get(district_given.lower())
            district_found = Found(in_district, problem=None if in_district else "district_code")
        elif district == "district_name":
            district_found = find(district_given, areas["district"])
            in_district = district_found.code
        scope = [area for area in areas[level] if level != "village" or area.district == in_district or not in_district]
        found = find(name, scope)
        if found.problem == "unknown" and (total := find(name, above)).code and not total.shortened:
            found = total
        if found.shortened:
            read_as.append((name, shown[found.code], found.code))
        problem = found.problem and f"{level}_name_{found.problem}" + ("_in" if in_district else "")
        district_problem = district_found.problem and (
            "district_code" if district == "district_code" else "district_name"
        )
        matches.append(
            (
                name,
                district_given,
                found.code,
                problem,
                ", ".join(found.names),
                shown.get(in_district),
                district_problem,
                ", ".join(district_found.names),
            )
        )
    frame = pd.DataFrame(
        matches,
        columns=["name", "district", "code", "problem", "names", "district_shown", "district_problem", "district_near"],
        dtype="string",
    )
    con.register("name_matches", frame)
    district_columns = (
        f"""checked.* replace (coalesce({district}_problem, district_problem) as {district}_problem),
            map {{'nearest': district_near}} as {district}_details,"""
        if district
        else "checked.*,"
    )
    con.execute(f"""
        create or replace temp table checked as
        select {district_columns}
            {field}_text as area_code_text,
            name_matches.code as area_code_value,
            coalesce({field}_problem, totals_problem({field}_text), name_matches.problem) as area_code_problem,
            map {{'names': name_matches.names, 'district': name_matches.district_shown}} as area_code_details
        from checked
        left join name_matches
            on name_matches.name = checked.{field}_text and name_matches.district is not distinct from {district_text}
    """)
    con.unregister("name_matches")
    index = {("area_code" if name == field else name): i for name, i in columns.index.items()}
    fields = {**columns.fields, "area_code": columns.fields[field]}
    return replace(checked, columns=replace(columns, index=index, fields=fields)), tuple(sorted(set(read_as)))
