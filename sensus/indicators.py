"""Indicators for an area: query results with the statistics applied. Pages, the deck and the
briefing all read their numbers from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from sensus import stats
from sensus.queries import run

BROAD_AGE_GROUPS = (("0-14", 0, 14), ("15-64", 15, 64), ("65+", 65, None))


def area(con: duckdb.DuckDBPyConnection, code: str) -> dict:
    """The area's row (code, name, level, parent...), or KeyError for an unknown code."""
    found = run(con, "area", area=code)
    if found.empty:
        raise KeyError(f"unknown area code {code!r}")
    return found.iloc[0].to_dict()


def area_indicators(con: duckdb.DuckDBPyConnection, code: str) -> pd.DataFrame:
    """Headline indicators for the area, its parent and its children, one row each (column role)."""
    counts = run(con, "indicator_counts", area=code)
    ages = run(con, "age_distribution", area=code)
    medians = {
        area_code: stats.grouped_median(group["age_from"], group["age_to"], group["persons"])
        for area_code, group in ages.groupby("code")
    }
    dependency = [stats.dependency_ratios(row.age_0_14, row.age_15_64, row.age_65_plus)
                  for row in counts.itertuples()]
    return counts.assign(
        sex_ratio=[stats.sex_ratio(row.male, row.female) for row in counts.itertuples()],
        median_age=counts["code"].map(medians).astype(float),
        dependency_young=[ratios["young"] for ratios in dependency],
        dependency_old=[ratios["old"] for ratios in dependency],
        dependency_total=[ratios["total"] for ratios in dependency],
        density=[stats.ratio(row.persons, row.area_km2) for row in counts.itertuples()],
        higher_education_share=[stats.ratio(row.higher_education, row.with_education)
                                for row in counts.itertuples()],
    )


def headline(con: duckdb.DuckDBPyConnection, code: str) -> pd.Series:
    indicators = area_indicators(con, code)
    return indicators[indicators["role"] == "area"].iloc[0]


def pyramid(con: duckdb.DuckDBPyConnection, code: str) -> pd.DataFrame:
    """Five-year age groups by sex, with counts and shares of the whole population."""
    return run(con, "population_pyramid", area=code)


def sex_ratio_by_age(pyramid_frame: pd.DataFrame) -> pd.DataFrame:
    wide = pyramid_frame.pivot_table(index=["lower", "age_group"], columns="sex", values="persons", aggfunc="sum")
    wide = wide.reset_index().rename(columns={1: "male", 2: "female"})
    wide["sex_ratio"] = [stats.sex_ratio(m, f) for m, f in zip(wide["male"], wide["female"])]
    return wide[["age_group", "lower", "male", "female", "sex_ratio"]]


def broad_age_groups(pyramid_frame: pd.DataFrame) -> pd.DataFrame:
    """Persons aged 0-14, 15-64 and 65+, by sex and in all, with shares."""
    total = pyramid_frame["persons"].sum()
    rows = []
    for label, low, high in BROAD_AGE_GROUPS:
        inside = pyramid_frame[(pyramid_frame["lower"] >= low) & (pyramid_frame["lower"] <= (high or 1000))]
        male = int(inside.loc[inside["sex"] == 1, "persons"].sum())
        female = int(inside.loc[inside["sex"] == 2, "persons"].sum())
        rows.append({"age_group": label, "male": male, "female": female, "persons": male + female,
                     "share": stats.ratio(male + female, total)})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class OnlinePace:
    """Where an area stands against its SP Online target on a date."""
    on: date
    deadline: date
    days_left: int
    target_households: int
    complete: int
    households_needed: int
    pace_needed: float          # households a day, from the day after `on` to the deadline
    pace_last_7_days: float
    projected_date: date | None  # at the last 7 days' pace; None when that pace is zero


def online_pace(trend: pd.DataFrame, on: date, deadline: date) -> OnlinePace:
    """Days left, households still needed, the pace needed against the pace of the last 7 days,
    and the date the target is reached at that pace. `trend` is the online_trend query result."""
    dates = pd.to_datetime(trend["date"]).dt.date
    upto = trend[dates <= on]
    if upto.empty:
        raise ValueError(f"no SP Online progress on or before {on}")
    today = upto.iloc[-1]
    target_households = int(np.ceil(today["target"] * today["base"]))
    needed = max(target_households - int(today["complete"]), 0)
    days_left = max((deadline - on).days, 0)
    span = min(len(upto) - 1, 7)
    earlier = upto.iloc[-1 - span]["complete"] if span else 0
    pace_last_7 = (today["complete"] - earlier) / max(span, 1)
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
        pace_needed=needed / days_left if days_left else float(needed),
        pace_last_7_days=float(pace_last_7),
        projected_date=projected,
    )


def online_deadlines(con: duckdb.DuckDBPyConnection) -> dict[str, date]:
    """The SP Online start, original deadline and extended deadline, from the timeline."""
    timeline = run(con, "timeline").set_index("key")
    return {
        "start": timeline.loc["online_original", "date_start"].date(),
        "original": timeline.loc["online_original", "date_end"].date(),
        "extended": timeline.loc["online_extension", "date_end"].date(),
    }


def deadline_on(con: duckdb.DuckDBPyConnection, on: date) -> date:
    """The deadline in force on a date: the original until it passed, then the extension."""
    deadlines = online_deadlines(con)
    return deadlines["original"] if on <= deadlines["original"] else deadlines["extended"]


def attention_list(con: duckdb.DuckDBPyConnection, code: str, on: date, limit: int = 10) -> pd.DataFrame:
    """The villages of an area furthest from the SP Online target on a date, lowest rate first."""
    villages = run(con, "online_villages", area=code, date=on)
    return villages[villages["gap"] > 0].sort_values(["rate", "gap"], ascending=[True, False]).head(limit)
