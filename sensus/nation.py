"""A nation-sized synthetic store for benchmarks: about as many persons, provinces, regencies,
districts and villages as Indonesia, generated directly as counts (village x sex x five-year age
group x education), never as person rows, one province at a time.

The numbers are synthetic and marked so. The shapes come from the calibrated Kota Kupang sample
(age, sex and education profiles) with a seeded tilt per village; SP Online progress is daily,
following the published national milestones.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from sensus import check, sample, store
from sensus.sample import apportion

NATION = "ID"
PERSONS = 270_203_917  # SP2020 Indonesia (BPS release, 21 Jan 2021)
REGENCIES = 514  # 416 kabupaten and 98 kota
DISTRICTS = 7_200  # about as many kecamatan as Indonesia has
VILLAGES = 84_000  # about as many desa and kelurahan
# The 38 Kemendagri province codes (the numbers in this store are synthetic).
PROVINCE_CODES = (
    "11",
    "12",
    "13",
    "14",
    "15",
    "16",
    "17",
    "18",
    "19",
    "21",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "51",
    "52",
    "53",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "72",
    "73",
    "74",
    "75",
    "76",
    "81",
    "82",
    "91",
    "92",
    "93",
    "94",
    "95",
    "96",
)
HOUSEHOLD_SIZE = 3.13  # 270.2 M persons in 86.4 M KK (Dukcapil, Dec 2020)
ONLINE_FINAL_SHARE = 0.1905  # SP Online: 51.36 M persons = 19.05 % (BPS, 2 Jun 2020)
ONLINE_TARGET_SHARE = 0.229  # national SP Online target, 22.9 % (bisnis.tempo.co 2020-02-17)
# SP Online participation as a share of its final count, from the national milestones: 0.29 M by
# 17 Feb, 32.4 M by 31 Mar, 41.77 M on 4 May, 44.83 M on 19 May, 47.9 M on 28 May, 51.36 M at the close.
ONLINE_MILESTONES = {
    date(2020, 2, 15): 0.0,
    date(2020, 2, 17): 0.29 / 51.36,
    date(2020, 3, 31): 32.4 / 51.36,
    date(2020, 5, 4): 41.77 / 51.36,
    date(2020, 5, 19): 44.83 / 51.36,
    date(2020, 5, 28): 47.9 / 51.36,
    date(2020, 5, 29): 1.0,
}
# Education levels 1..8 move this way when a village is more (or less) schooled than the profile.
SCHOOLING_DIRECTION = np.array([-1, -1, -0.5, 0, 0, 1, 1, 1])


# ---------------------------------------------------------------- areas


def children_per_parent(children: int, parents: int, rng, spread: float) -> np.ndarray:
    """How many children each parent has: at least one each, the rest by seeded weights."""
    if children < parents:
        raise ValueError(f"{children} areas cannot be spread over {parents} parents, one at least each")
    return 1 + apportion(children - parents, rng.lognormal(0.0, spread, parents))


def child_codes(parent_codes: np.ndarray, counts: np.ndarray, prefix: str = "", width: int = 2) -> np.ndarray:
    """Codes numbered 1.. within each parent: 11.01, 11.02, ... or, with prefix "2", 11.01.01.2001."""
    sequence = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    if sequence.max() >= 10**width:
        raise ValueError(f"more than {10**width - 1} children under one parent: use fewer areas or more parents")
    numbers = pd.Series(sequence).astype(str).str.zfill(width)
    return (pd.Series(np.repeat(parent_codes, counts)) + "." + prefix + numbers).to_numpy()


def level_rows(
    level: str, codes: np.ndarray, parents: np.ndarray, name: str, lat, lon, area_km2: np.ndarray
) -> pd.DataFrame:
    names = pd.Series(codes).radd(f"{name} ")
    return pd.DataFrame(
        {
            "code": codes,
            "bps_code": pd.Series(codes).str.replace(".", "", regex=False),
            "name": names,
            "bps_name": names.str.upper(),
            "level": level,
            "parent_code": parents,
            "area_km2": area_km2,
            "area_source": "synthetic",
            "lat": lat,
            "lon": lon,
        }
    )


def nation_areas(rng, *, provinces: int, regencies: int, districts: int, villages: int) -> pd.DataFrame:
    """The nation root, its provinces, regencies, districts and villages, ordered by code, with
    synthetic areas (summed up the tree) and centroids spread over the archipelago."""
    if not 1 <= provinces <= len(PROVINCE_CODES):
        raise ValueError(f"provinces must be between 1 and {len(PROVINCE_CODES)}")
    province_codes = np.array(PROVINCE_CODES[:provinces], dtype=object)
    regency_counts = children_per_parent(regencies, provinces, rng, 0.6)
    regency_codes = child_codes(province_codes, regency_counts)
    district_counts = children_per_parent(districts, regencies, rng, 0.5)
    district_codes = child_codes(regency_codes, district_counts)
    village_counts = children_per_parent(villages, districts, rng, 0.5)
    village_codes = child_codes(district_codes, village_counts, prefix="2", width=3)

    province_lon = np.linspace(96.0, 140.0, provinces)
    province_lat = -3.0 + 4.0 * np.sin(np.arange(provinces))
    positions = [(province_lat, province_lon)]
    for counts, spread in ((regency_counts, 0.8), (district_counts, 0.15), (village_counts, 0.03)):
        lat, lon = positions[-1]
        positions.append(
            (
                np.repeat(lat, counts) + rng.normal(0, spread, counts.sum()),
                np.repeat(lon, counts) + rng.normal(0, spread, counts.sum()),
            )
        )
    village_km2 = np.round(rng.lognormal(2.6, 1.0, villages), 2)
    district_km2 = np.add.reduceat(village_km2, np.cumsum(village_counts) - village_counts)
    regency_km2 = np.add.reduceat(district_km2, np.cumsum(district_counts) - district_counts)
    province_km2 = np.add.reduceat(regency_km2, np.cumsum(regency_counts) - regency_counts)

    root = pd.DataFrame(
        [
            {
                "code": NATION,
                "bps_code": None,
                "name": "Indonesia (sintetis)",
                "bps_name": "INDONESIA",
                "level": "nation",
                "parent_code": None,
                "area_km2": province_km2.sum(),
                "area_source": "synthetic",
                "lat": -2.5,
                "lon": 118.0,
            }
        ]
    )
    levels = [
        root,
        level_rows(
            "province", province_codes, np.full(provinces, NATION), "Provinsi Sintetis", *positions[0], province_km2
        ),
        level_rows(
            "regency",
            regency_codes,
            np.repeat(province_codes, regency_counts),
            "Kabupaten Sintetis",
            *positions[1],
            regency_km2,
        ),
        level_rows(
            "district",
            district_codes,
            np.repeat(regency_codes, district_counts),
            "Kecamatan",
            *positions[2],
            district_km2,
        ),
        level_rows(
            "village", village_codes, np.repeat(district_codes, village_counts), "Desa", *positions[3], village_km2
        ),
    ]
    return pd.concat(levels, ignore_index=True).sort_values("code", ignore_index=True)


def village_persons(areas: pd.DataFrame, persons: int, rng) -> np.ndarray:
    """Persons per village (in code order): provinces, regencies and villages differ in size."""
    villages = areas.loc[areas["level"] == "village", "code"]
    province = villages.str.split(".").str[0]
    regency = villages.str[:5]
    province_size = pd.Series(rng.lognormal(0.0, 0.8, province.nunique()), index=province.unique())
    regency_size = pd.Series(rng.lognormal(0.0, 0.4, regency.nunique()), index=regency.unique())
    weights = (province.map(province_size) * regency.map(regency_size)).to_numpy() * rng.lognormal(
        0.0, 0.6, len(villages)
    )
    return apportion(persons, weights)


# ---------------------------------------------------------------- the population cube


def cube_cells() -> pd.DataFrame:
    """The cells of a village's cube, sex x five-year age group x education (none below 5), with
    their weights in the calibrated sample's age, sex and education profiles."""
    calib = sample.calibration()
    by_age = sample.age_profile(calib)
    male_share = sample.male_share_by_age()
    groups = store.read_reference("age_groups.csv")
    rows = []
    for sex, sex_share in ((1, male_share), (2, 1 - male_share)):
        for group in groups.itertuples():
            lower, upper = int(group.lower), int(group.upper) if group.upper else None
            ages = np.arange(lower, (upper if upper is not None else sample.AGES[-1]) + 1)
            persons = by_age[ages] * sex_share[ages]
            if lower < 5:
                rows.append((sex, lower, upper, None, persons.sum()))
                continue
            by_level = sum(count * sample.education_profile(int(age), sex) for age, count in zip(ages, persons))
            rows.extend(
                (sex, lower, upper, int(level), weight) for level, weight in zip(sample.EDUCATION_LEVELS, by_level)
            )
    return pd.DataFrame(rows, columns=["sex", "age_from", "age_to", "education", "weight"])


def village_cubes(codes: np.ndarray, persons: np.ndarray, cells: pd.DataFrame, rng) -> pa.Table:
    """The cube rows of these villages (zero cells left out), in village, sex, age order: each
    village's persons spread over the cells by the profile, tilted older or younger and more or
    less schooled village by village."""
    middle_age = (cells["age_from"] + cells["age_to"].fillna(cells["age_from"] + 10)).to_numpy() / 2
    schooling = (
        SCHOOLING_DIRECTION[cells["education"].fillna(1).astype(int).to_numpy() - 1]
        * cells["education"].notna().to_numpy()
    )
    older = rng.normal(0.0, 0.2, (len(codes), 1))
    schooled = rng.normal(0.0, 0.25, (len(codes), 1))
    weights = cells["weight"].to_numpy() * np.exp(older * (middle_age - 35) / 35 + schooled * schooling)
    counts = rng.multinomial(persons, weights / weights.sum(axis=1, keepdims=True))
    village, cell = np.nonzero(counts)
    return pa.table(
        {
            "area_code": pa.array(codes[village], pa.string()),
            "sex": pa.array(cells["sex"].to_numpy()[cell], pa.int8()),
            "age_from": pa.array(cells["age_from"].to_numpy()[cell], pa.int16()),
            "age_to": pa.array(
                cells["age_to"].astype("Int16").to_numpy(na_value=0)[cell],
                pa.int16(),
                mask=cells["age_to"].isna().to_numpy()[cell],
            ),
            "education": pa.array(
                cells["education"].astype("Int8").to_numpy(na_value=0)[cell],
                pa.int8(),
                mask=cells["education"].isna().to_numpy()[cell],
            ),
            "persons": pa.array(counts[village, cell], pa.int64()),
        }
    )


# ---------------------------------------------------------------- SP Online progress


def online_progress(codes: np.ndarray, persons: np.ndarray, dates: list[date], rng) -> pa.Table:
    """Cumulative households submitted and complete per village and day, along the national
    milestones: never falling, complete <= submitted <= base."""
    days = np.array([(day - dates[0]).days for day in dates])
    milestones = np.array([(day - dates[0]).days for day in ONLINE_MILESTONES])
    reached = np.interp(days, milestones, list(ONLINE_MILESTONES.values()))
    clean_share = np.interp(days, [0, days[-1]], [0.5, 0.93])
    base = np.maximum(np.round(persons / (HOUSEHOLD_SIZE * rng.lognormal(0.0, 0.1, len(codes)))), 1).astype(np.int64)
    complete_share = np.clip(ONLINE_FINAL_SHARE * rng.lognormal(0.0, 0.5, len(codes)), 0.0, 0.9)
    submitted = np.floor(base[:, None] * (complete_share / 0.93)[:, None] * reached).astype(np.int64)
    complete = np.floor(submitted * clean_share).astype(np.int64)
    return pa.table(
        {
            "date": pa.array(np.tile(np.array(dates, dtype="datetime64[D]"), len(codes))),
            "village_code": pa.array(np.repeat(codes, len(dates)), pa.string()),
            "households_base": pa.array(np.repeat(base, len(dates))),
            "households_submitted": pa.array(submitted.ravel()),
            "households_complete": pa.array(complete.ravel()),
        }
    )


# ---------------------------------------------------------------- the store


def build_nation(
    path: str | os.PathLike | None = None,
    *,
    persons: int = PERSONS,
    provinces: int = len(PROVINCE_CODES),
    regencies: int = REGENCIES,
    districts: int = DISTRICTS,
    villages: int = VILLAGES,
    seed: int = 2020,
    memory_limit: str = "3GB",
) -> Path:
    """Write the nation-sized synthetic store at `path`, replacing it only when complete."""
    rng = np.random.default_rng(seed)
    areas = nation_areas(rng, provinces=provinces, regencies=regencies, districts=districts, villages=villages)
    village_rows = areas[areas["level"] == "village"]
    codes = village_rows["code"].to_numpy()
    persons_by_village = village_persons(areas, persons, rng)
    cells = cube_cells()
    calib = sample.calibration()
    timeline = store.read_reference("sp2020_timeline.csv")
    dates = sample.online_days(timeline)
    agencies, asn = sample.asn_progress(calib, timeline, rng)
    digest = hashlib.sha256()
    cube_rows = 0

    target_path = store.db_path(path)
    with store.replacing(target_path, fresh=True) as con:
        con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute("set enable_progress_bar = false")
        store.load_areas(con, areas)
        store.load_reference_tables(con)
        dataset_id = store.record_dataset(
            con,
            kind="sample",
            source_file=f"sensus.nation (seed {seed}, {villages:,} villages)",
            sha256="",  # set once every row is in
            rows_read=0,
            persons_read=int(persons_by_village.sum()),
            synthetic=True,
            description_key="dataset.nation",
            description_values={},
            dimensions=["sex", "age", "education"],
        )
        province_of = village_rows["code"].str.split(".").str[0].to_numpy()
        for province in np.unique(province_of):
            inside = province_of == province
            cube = village_cubes(codes[inside], persons_by_village[inside], cells, rng)
            insert(con, "population", cube, digest, prefix=(dataset_id, sample.CENSUS_PERIOD))
            cube_rows += cube.num_rows
            insert(
                con, "online_progress", online_progress(codes[inside], persons_by_village[inside], dates, rng), digest
            )
        con.register("agency_list", agencies.assign(area_code=NATION))
        con.execute("insert into agencies by name select * from agency_list")
        con.register("asn", asn)
        con.execute("insert into asn_progress select * from asn order by agency_code, date")
        con.executemany(
            "insert into targets values (?, null, ?, ?)",
            [
                (
                    "online_households",
                    ONLINE_TARGET_SHARE,
                    "National SP Online target, 22.9 % (bisnis.tempo.co 2020-02-17)",
                ),
                ("asn", sample.target(calib, "asn_target_share"), sample.source_of(calib, "asn_target_share")),
            ],
        )
        con.executemany(
            "insert into calibration values (?, ?, ?, ?, ?, ?)",
            [
                (
                    "population_total",
                    NATION,
                    str(persons),
                    "persons",
                    "exact" if persons == PERSONS else "assumption",
                    "SP2020 Indonesia 270,203,917 (BPS release 21 Jan 2021)",
                ),
                (
                    "online_complete_share_final",
                    NATION,
                    str(ONLINE_FINAL_SHARE),
                    "share of base households",
                    "proxy",
                    "SP Online: 51.36 million persons = 19.05 % (BPS, 2 Jun 2020)",
                ),
                (
                    "online_target_share",
                    NATION,
                    str(ONLINE_TARGET_SHARE),
                    "share of base households",
                    "proxy",
                    "National SP Online target 22.9 % of the population (bisnis.tempo.co 2020-02-17)",
                ),
            ],
        )
        con.execute(
            "update datasets set sha256 = ?, rows_read = ? where id = ?", [digest.hexdigest(), cube_rows, dataset_id]
        )
        store.refresh_rollups(con)
        check.record_checks(con)
    return target_path


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, digest, prefix: tuple = ()) -> None:
    """Append rows (already in the table's order), after the values `prefix` of the table's first columns,
    and fold them into the content digest."""
    for column in rows.columns:
        for chunk in column.chunks:
            for buffer in chunk.buffers():
                if buffer is not None:
                    digest.update(buffer)
    con.register("new_rows", rows)
    con.execute(f"insert into {table} select {'?, ' * len(prefix)}* from new_rows", list(prefix))
    con.unregister("new_rows")
