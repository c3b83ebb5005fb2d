"""Indicators for an area: query results with the statistics applied. Pages, the deck and the
briefing all read their numbers from here; the population counts come protected from the store
(sensus.privacy)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from queries import run
from sensus import privacy, stats
from sensus.i18n import HEADLINE_INDICATORS
from sensus.store import LEVELS

BROAD_AGE_GROUPS = (("0-14", 0, 14), ("15-64", 15, 64), ("65+", 65, None))

# The headline counts as breakdowns of a total (the persons of the data the breakdown comes from).
INDICATOR_BREAKDOWNS = {
    "sex": ("by_sex", ["male", "female"]),
    "age": ("by_age", ["age_0_14", "age_15_64", "age_65_plus"]),
    "education": ("by_education", ["with_education"]),
    "higher": ("with_education", ["higher_education"]),
}


# The kinds of data a store may hold: population, and population by sex, by age and by education (the
# highest certificate), each from data with that dimension; SP Online and ASN progress.
FACTS = ("population", "sex", "age", "education", "online", "asn")


@dataclass(frozen=True)
class FactsHeld:
    """The kinds of data (FACTS, and online_target, asn_target: the completion targets in force) the
    store holds in all, and those it holds for one area."""

    in_store: frozenset[str]
    in_area: frozenset[str]


def facts_held(con: duckdb.DuckDBPyConnection, code: str | None = None) -> FactsHeld:
    """What the store holds: population (with education or not), SP Online and ASN progress and
    their targets, in all and for the area `code` (nothing for None)."""
    held = run(con, "facts_held", area=code)
    return FactsHeld(
        in_store=frozenset(held.loc[held["in_store"], "fact"]), in_area=frozenset(held.loc[held["in_area"], "fact"])
    )


# The kind of data (FACTS) each headline indicator needs beyond the population.
INDICATOR_NEEDS = {
    "sex_ratio": "sex",
    "median_age": "age",
    "dependency_total": "age",
    "higher_education_share": "education",
}


def headline_indicators(held: Collection[str]) -> list[str]:
    """The headline indicators data of these kinds supports."""
    return [name for name in HEADLINE_INDICATORS if INDICATOR_NEEDS.get(name, "population") in held]


def area(con: duckdb.DuckDBPyConnection, code: str) -> dict:
    """The area's row (code, name, level, parent...), or KeyError for an unknown code."""
    found = run(con, "area", area=code)
    if found.empty:
        raise KeyError(f"unknown area code {code!r}")
    return found.iloc[0].to_dict()


def area_level(con: duckdb.DuckDBPyConnection, code: str) -> str | None:
    """The area's level, or None for an unknown code."""
    found = run(con, "area", area=code)
    return None if found.empty else found["level"].iloc[0]


def levels_by_role(level: str | None) -> dict[str, str | None]:
    """The levels of an area, its parent and its children."""
    if level not in LEVELS:
        return {"area": level, "parent": None, "child": None}
    index = LEVELS.index(level)
    return {
        "area": level,
        "parent": LEVELS[index - 1] if index else None,
        "child": LEVELS[index + 1] if index + 1 < len(LEVELS) else None,
    }


def area_indicators(con: duckdb.DuckDBPyConnection, code: str, period: str | None = None) -> pd.DataFrame:
    """Headline indicators for the area, its parent and its children, one row each (column role), from the
    population data of the latest period up to `period`; a breakdown without data is missing (NaN)."""
    counts = run(con, "indicator_counts", area=code, period=period)
    for total, parts in INDICATOR_BREAKDOWNS.values():
        for part in parts:
            counts[part] = counts[part].astype(float).where(counts[total].notna())
    ages = run(con, "age_distribution", area=code, period=period)
    medians = {
        area_code: stats.grouped_median(group["age_from"], group["age_to"], group["persons"])
        for area_code, group in ages.groupby("code")
    }
    dependency = [stats.dependency_ratios(row.age_0_14, row.age_15_64, row.age_65_plus) for row in counts.itertuples()]
    return counts.assign(
        sex_ratio=[stats.sex_ratio(row.male, row.female) for row in counts.itertuples()],
        median_age=counts["code"].map(medians).astype(float),
        dependency_young=[ratios["young"] for ratios in dependency],
        dependency_old=[ratios["old"] for ratios in dependency],
        dependency_total=[ratios["total"] for ratios in dependency],
        density=[stats.ratio(row.persons, row.area_km2) for row in counts.itertuples()],
        higher_education_share=[stats.ratio(row.higher_education, row.with_education) for row in counts.itertuples()],
    )


def headline(con: duckdb.DuckDBPyConnection, code: str, period: str | None = None) -> pd.Series:
    indicators = area_indicators(con, code, period)
    return indicators[indicators["role"] == "area"].iloc[0]


def pyramid(con: duckdb.DuckDBPyConnection, code: str, period: str | None = None) -> pd.DataFrame:
    """Five-year age groups by sex, with counts and shares of the whole population; by age group alone
    (sex missing) where the data has ages but no sex by age."""
    frame = run(con, "population_pyramid", area=code, period=period, needs=["sex", "age"])
    if frame["dataset_id"].isna().all():
        frame = run(con, "population_pyramid", area=code, period=period, needs=["age"])
    return privacy.published(frame)


def sex_ratio_by_age(pyramid_frame: pd.DataFrame) -> pd.DataFrame:
    wide = pyramid_frame.pivot(index=["lower", "age_group"], columns="sex", values="persons")
    wide = wide.reset_index().rename(columns={1: "male", 2: "female"})
    wide["sex_ratio"] = [stats.sex_ratio(m, f) for m, f in zip(wide["male"], wide["female"])]
    wide.attrs = pyramid_frame.attrs
    return wide[["age_group", "lower", "male", "female", "sex_ratio"]]


def broad_age_groups(pyramid_frame: pd.DataFrame) -> pd.DataFrame:
    """Persons aged 0-14, 15-64 and 65+, by sex (where the pyramid has sex) and in all, with shares."""
    sexes = (1, 2) if pyramid_frame["sex"].notna().any() else (None,)
    cells = []
    for label, low, high in BROAD_AGE_GROUPS:
        inside = pyramid_frame[(pyramid_frame["lower"] >= low) & (pyramid_frame["lower"] <= (high or 1000))]
        for sex in sexes:
            of_sex = inside[inside["sex"] == sex] if sex else inside
            cells.append(
                {
                    "age_group": label,
                    "sex": sex or 0,
                    "persons": of_sex["persons"].sum(skipna=False),
                    "share": of_sex["share"].sum(skipna=False),
                }
            )
    cells = pd.DataFrame(cells)
    labels = [label for label, _, _ in BROAD_AGE_GROUPS]
    by_sex = cells.pivot(index="age_group", columns="sex", values=["persons", "share"]).reindex(labels)
    parts = [sex or 0 for sex in sexes]
    groups = pd.DataFrame(
        {
            "age_group": labels,
            "male": by_sex[("persons", 1)].to_numpy() if sexes[0] else np.nan,
            "female": by_sex[("persons", 2)].to_numpy() if sexes[0] else np.nan,
            "persons": by_sex["persons"][parts].sum(axis=1, min_count=len(parts)).to_numpy(),
            "share": by_sex["share"][parts].sum(axis=1, min_count=len(parts)).to_numpy(),
        }
    )
    groups.attrs = pyramid_frame.attrs
    return groups


@dataclass(frozen=True)
class AgeProfile:
    """An area's ages, as the Penduduk page shows them: its pyramid and, where asked, its parent's, with the
    table of both (the parent's share beside each cell); the sex ratio by age group where the data has sex
    by age; the broad age groups."""

    pyramid: pd.DataFrame
    parent: pd.DataFrame | None
    table: pd.DataFrame
    by_age: pd.DataFrame | None
    broad: pd.DataFrame


def age_profile(
    con: duckdb.DuckDBPyConnection, code: str, period: str | None = None, parent_code: str | None = None
) -> AgeProfile:
    own = pyramid(con, code, period)
    parent = pyramid(con, parent_code, period) if parent_code else None
    table = own
    if parent is not None:
        shares = parent[["age_group", "sex", "share"]].rename(columns={"share": "parent_share"})
        table = own.merge(shares, on=["age_group", "sex"], how="left")
    by_age = sex_ratio_by_age(own) if own["sex"].notna().any() else None
    return AgeProfile(own, parent, table, by_age, broad_age_groups(own))


def education_by_sex(con: duckdb.DuckDBPyConnection, code: str, period: str | None = None) -> pd.DataFrame:
    """Highest education attained by sex, persons aged 5 and over, with shares within each sex."""
    return privacy.published(run(con, "education_by_sex", area=code, period=period))


def education_by_age(con: duckdb.DuckDBPyConnection, code: str, period: str | None = None) -> pd.DataFrame:
    """Highest education attained by five-year age group (5+), with shares within each age group."""
    return privacy.published(run(con, "education_by_age", area=code, period=period))


def education_by_child_area(con: duckdb.DuckDBPyConnection, code: str, period: str | None = None) -> pd.DataFrame:
    """Highest education attained across the child areas, ranked by their share with Diploma I and
    above (1 = highest); a child without data ranks last."""
    protected = privacy.published(run(con, "education_by_child_area", area=code, period=period))
    order = protected.drop_duplicates("code").sort_values(
        ["higher_share", "code"], ascending=[False, True], na_position="last"
    )
    rank = pd.Series(range(1, len(order) + 1), index=order["code"])
    return protected.assign(rank=protected["code"].map(rank)).sort_values(["rank", "education"], ignore_index=True)


@dataclass(frozen=True)
class OnlinePace:
    """Where an area stands against its SP Online target on a date."""

    on: date
    deadline: date
    days_left: int
    target_households: int
    complete: int
    households_needed: int
    pace_needed: float | None  # households a day from the day after `on` to the deadline; None on or after it
    pace_last_7_days: float
    projected_date: date | None  # at the last 7 days' pace; None when that pace is zero


def status_on(trend: pd.DataFrame, on: date, series: str = "SP Online") -> pd.Series:
    """The last row of a cumulative series by date (online_trend, asn_trend) on or before `on`."""
    upto = trend[trend["date"] <= on]
    if upto.empty:
        raise ValueError(f"no {series} progress on or before {on}")
    return upto.iloc[-1]


def online_pace(trend: pd.DataFrame, on: date, deadline: date) -> OnlinePace:
    """Days left, households still needed, the pace needed against the pace of the last 7 days,
    and the date the target is reached at that pace. `trend` is the online_trend query result, daily
    or not: the recent pace runs from the last report at least 7 days old (or the first report)."""
    today = status_on(trend, on)
    target_households = int(np.ceil(today["target"] * today["base"]))
    needed = max(target_households - int(today["complete"]), 0)
    days_left = max((deadline - on).days, 0)
    week_ago = trend[trend["date"] <= on - timedelta(days=7)]
    start = week_ago.iloc[-1] if not week_ago.empty else trend.iloc[0]
    days = (on - start["date"]).days
    pace_last_7 = (today["complete"] - start["complete"]) / days if days else float(today["complete"])
    if needed == 0:
        projected = on
    elif pace_last_7 > 0:
        projected = on + timedelta(days=int(np.ceil(needed / pace_last_7)))
    else:
        projected = None
    return OnlinePace(
        on=on,
        deadline=deadline,
        days_left=days_left,
        target_households=target_households,
        complete=int(today["complete"]),
        households_needed=needed,
        pace_needed=needed / days_left if days_left else None,
        pace_last_7_days=float(pace_last_7),
        projected_date=projected,
    )


def online_deadlines(con: duckdb.DuckDBPyConnection) -> dict[str, date]:
    """The SP Online start, original deadline and extended deadline, from the timeline."""
    timeline = run(con, "timeline").set_index("key")
    return {
        "start": timeline.loc["online_original", "date_start"],
        "original": timeline.loc["online_original", "date_end"],
        "extended": timeline.loc["online_extension", "date_end"],
    }


def deadline_on(con: duckdb.DuckDBPyConnection, on: date) -> date:
    """The deadline in force on a date: the original until it passed, then the extension."""
    deadlines = online_deadlines(con)
    return deadlines["original"] if on <= deadlines["original"] else deadlines["extended"]


def attention_list(con: duckdb.DuckDBPyConnection, code: str, on: date, limit: int = 10) -> pd.DataFrame:
    """The villages of an area furthest from the SP Online target on a date, lowest rate first."""
    villages = run(con, "online_villages", area=code, date=on)
    return villages[villages["gap"] > 0].sort_values(["rate", "gap"], ascending=[True, False]).head(limit)


COMPARED = ("density", "higher_education_share", "dependency_total", "median_age", "sex_ratio")
UNLIKE = 1.1  # a child area is named as unlike its parent from a tenth above or below it


def comparisons(indicators: pd.DataFrame, limit: int = 3) -> pd.DataFrame:
    """Headline indicators set against a reference area (from an area_indicators result): the area
    against its parent or, for a top-level area, the child area most unlike it on each indicator
    (when it differs by a tenth or more). Columns area, indicator, value, reference,
    reference_value and ratio, the most different first."""
    roles = {role: rows for role, rows in indicators.groupby("role")}
    top_level = "parent" not in roles
    compared, reference = (roles.get("child"), roles.get("area")) if top_level else (roles["area"], roles["parent"])
    columns = ["area", "indicator", "value", "reference", "reference_value", "ratio"]
    if compared is None or reference is None:
        return pd.DataFrame(columns=columns)
    reference = reference.iloc[0]
    long = compared.melt(id_vars="name", value_vars=list(COMPARED), var_name="indicator")
    long = long.assign(
        area=long["name"],
        value=long["value"].astype(float),
        reference=reference["name"],
        reference_value=long["indicator"].map(reference[list(COMPARED)].astype(float)),
    )
    long = long[(long["value"] > 0) & (long["reference_value"] > 0)]
    long = long.assign(ratio=long["value"] / long["reference_value"])
    distance = np.abs(np.log(long["ratio"]))
    if top_level:
        distance = distance[distance >= np.log(UNLIKE)]
    most_different = long.loc[distance.sort_values(ascending=False, kind="stable").index].drop_duplicates("indicator")
    return most_different.head(limit)[columns].reset_index(drop=True)


def area_comparisons(con: duckdb.DuckDBPyConnection, code: str, period: str | None = None) -> pd.DataFrame:
    """The comparisons of the area's headline indicators (comparisons of area_indicators)."""
    return comparisons(area_indicators(con, code, period))


def child_indicators(
    con: duckdb.DuckDBPyConnection, code: str, on: date | None, period: str | None = None
) -> pd.DataFrame:
    """The child areas with their centroids, headline indicators and SP Online completion on a
    date (online_rate; empty without a date): what the map colours."""
    children = run(con, "child_areas", area=code)[["code", "bps_code", "level", "lat", "lon"]]
    headline_rows = area_indicators(con, code, period)
    online = run(con, "online_by_child_area", area=code, date=on)[["code", "rate"]]
    return children.merge(headline_rows[headline_rows["role"] == "child"], on="code").merge(
        online.rename(columns={"rate": "online_rate"}), on="code", how="left"
    )
