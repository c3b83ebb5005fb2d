"""Indonesia's area list (data/wilayah_kemendagri_2025.csv.gz): find a province or kabupaten/kota by
its code or name, and start a new, empty store holding it with every area below it; find an area of a
store by its code or name.

An area's level and parent follow from its dotted Kemendagri code: 53 a province, 53.71 a kabupaten/kota,
53.71.01 a kecamatan, 53.71.01.1001 a kelurahan/desa.
"""

from __future__ import annotations

import difflib
import os
import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from sensus import check, store
from sensus.ingest import names

AREA_LIST = store.DATA_DIR / "wilayah_kemendagri_2025.csv.gz"
LEVEL_BY_DEPTH = {1: "province", 2: "regency", 3: "district", 4: "village"}
STARTING_LEVELS = ("province", "regency")
# Extra facts about areas bundled in data/ (BPS codes, BPS areas in km2, centroids), matched by code.
KNOWN_DETAILS = ("bps_code", "bps_name", "area_km2", "area_source", "lat", "lon")
SUGGESTIONS = 5


class AreaNotFound(LookupError):
    """No single province or kabupaten/kota answers to what was asked; the message lists the nearest."""


@cache
def national_areas() -> pd.DataFrame:
    """Every area: code, name, level and parent code."""
    areas = pd.read_csv(AREA_LIST, dtype=str, keep_default_na=False).rename(columns={"kode": "code", "nama": "name"})
    depth = areas["code"].str.count(r"\.") + 1
    return areas.assign(
        level=depth.map(LEVEL_BY_DEPTH),
        parent_code=areas["code"].str.rpartition(".")[0].replace("", None),
    )


def name_key(name: str) -> str:
    """A name as people write it in any case and spacing, "Kab." for "Kabupaten"."""
    key = re.sub(r"\s+", " ", name.strip().lower())
    return re.sub(r"^kab\.?\s+", "kabupaten ", key)


def bare_key(key: str) -> str:
    """A name key without "kabupaten", "kota" or "provinsi" in front: "samarinda"."""
    return re.sub(r"^(kabupaten|kota|provinsi)\s+", "", key)


def find(code: str | None = None, name: str | None = None) -> pd.Series:
    """The province or kabupaten/kota with this Kemendagri code, or this name (in any case; with or
    without "Kabupaten"/"Kota" when that leaves one area)."""
    candidates = national_areas()[national_areas()["level"].isin(STARTING_LEVELS)]
    if code is not None:
        found = candidates[candidates["code"] == code.strip()]
        if found.empty:
            raise AreaNotFound(
                f"no province or kabupaten/kota has the code {code!r}; codes look like 53 (a province) "
                "or 53.71 (a kabupaten/kota)"
            )
        return found.iloc[0]
    key = name_key(name or "")
    keys = candidates["name"].map(name_key)
    found = candidates[keys == key]
    if found.empty:
        found = candidates[keys.map(bare_key) == bare_key(key)]
    if len(found) > 1:
        choices = "; ".join(f"{row.name} ({row.code})" for row in found.itertuples())
        raise AreaNotFound(f"{name!r} names more than one area: {choices}; give the code with --area")
    if found.empty:
        raise AreaNotFound(f"no province or kabupaten/kota is named {name!r}{nearest(name or '', candidates)}")
    return found.iloc[0]


def nearest(asked: str, candidates: pd.DataFrame) -> str:
    """The nearest names, as the end of a message ("; the nearest are ..."), or nothing when none is near."""
    labels = dict(zip(candidates["name"].map(name_key), candidates["name"] + " (" + candidates["code"] + ")"))
    close = difflib.get_close_matches(name_key(asked), list(labels), n=SUGGESTIONS, cutoff=0.6)
    return f"; the nearest are {', '.join(labels[key] for key in close)}" if close else ""


def in_store(con: duckdb.DuckDBPyConnection, asked: str) -> str:
    """The code of the store's area that `asked` is the code or the name of (its Kemendagri or BPS name,
    matched as kelurahan names in files are: any case and spacing, or the start of one name only)."""
    rows = con.execute("select code, name, bps_name, parent_code from areas order by code").fetchall()
    if asked.strip() in {code for code, *_ in rows}:
        return asked.strip()
    areas = [names.Area(code, tuple(filter(None, (name, bps_name))), parent) for code, name, bps_name, parent in rows]
    found = names.find(asked, areas)
    if found.code:
        return found.code
    listed = "; ".join(
        f"{area.shown} ({area.code})" for shown in dict.fromkeys(found.names) for area in areas if area.shown == shown
    )  # nearest first
    if found.problem == "ambiguous":
        raise AreaNotFound(f"{asked!r} names more than one area of the store: {listed}; give the code")
    raise AreaNotFound(f"the store has no area with the code or name {asked!r}; the nearest are {listed}")


def areas_within(code: str) -> pd.DataFrame:
    """The area with this code and every area below it, the area itself at the top (no parent), with the
    details bundled in data/ where known."""
    areas = national_areas()
    within = areas[(areas["code"] == code) | areas["code"].str.startswith(f"{code}.")].copy()
    within.loc[within["code"] == code, "parent_code"] = None
    return within.merge(known_details(), on="code", how="left")


def known_details() -> pd.DataFrame:
    """BPS codes, areas and centroids from the areas files in data/ (areas_<code>.csv)."""
    frames = [store.read_reference(path.name) for path in sorted(store.DATA_DIR.glob("areas_*.csv"))]
    details = pd.concat([pd.DataFrame(columns=["code", *KNOWN_DETAILS]), *frames], ignore_index=True)
    details = details[["code", *KNOWN_DETAILS]].replace("", None)
    return details.astype({"area_km2": float, "lat": float, "lon": float})


def init_store(path: str | os.PathLike | None, code: str) -> tuple[Path, pd.Series, int]:
    """A new store at `path` holding the area `code` and every area below it, and no data yet.
    Refuses to replace an existing store. Returns the path, the area and how many areas it holds."""
    target = store.db_path(path)
    if target.exists():
        raise FileExistsError(f"a store already exists at {target}; name another with --db, or remove it first")
    area = find(code=code)
    areas = areas_within(area["code"])
    with store.replacing(target, fresh=True) as con:
        store.load_reference_tables(con)
        store.load_areas(con, areas)
        store.refresh_rollups(con)
        store.record_dataset(
            con,
            kind="areas",
            source_file=AREA_LIST.name,
            sha256=store.sha256_of(AREA_LIST),
            rows_read=len(areas),
            persons_read=None,
            synthetic=False,
            description_key="dataset.area_list",
            description_values={"area": area["name"], "code": area["code"]},
        )
        check.record_checks(con)
    return target, area, len(areas)
