"""Indicators on the tiny store (see tests/test_queries.py for its hand-worked counts)."""

from datetime import date

import pandas as pd
import pytest

from queries import run
from sensus import indicators

BARAT, CITY, SATU, TIGA = "99.01.01", "99.01", "99.01.01.1001", "99.01.02.1001"


def test_area_indicators_apply_the_statistics(tiny):
    table = indicators.area_indicators(tiny, BARAT).set_index("code")
    barat, city = table.loc[BARAT], table.loc[CITY]
    # Barat: ages 3 (20), 10 (10), 20 (70), 30 (40), 70 (10); half of 150 falls in age 20 after 30 persons.
    assert barat["median_age"] == pytest.approx(20 + (75 - 30) / 70)
    assert barat["sex_ratio"] == 100.0
    assert barat["dependency_young"] == pytest.approx(100 * 30 / 110)
    assert barat["dependency_old"] == pytest.approx(100 * 10 / 110)
    assert barat["dependency_total"] == pytest.approx(100 * 40 / 110)
    assert barat["density"] == 150 / 4
    assert barat["higher_education_share"] == pytest.approx(60 / 130)
    # Kota Uji adds Tiga's groups 0-4 (12), 40-44 (20), 65-69 (8): half of 190 falls in age 20 after 42.
    assert city["median_age"] == pytest.approx(20 + (95 - 42) / 70)
    assert city["sex_ratio"] == pytest.approx(100 * 107 / 83)
    assert list(table["role"]) == ["area", "child", "child", "parent"]


def test_dependency_ratios_on_the_edges_of_the_broad_age_groups(edges):
    # See test_queries: Kota Uji has 16 aged 0-14, 65 aged 15-64 and 49 aged 65+.
    city = indicators.headline(edges, CITY)
    assert (city["dependency_young"], city["dependency_old"], city["dependency_total"]) == pytest.approx(
        (100 * 16 / 65, 100 * 49 / 65, 100.0)
    )


def test_broad_age_groups_on_their_edges(edges):
    # Men: 14 (6) and 10-14 (10) young, 64 (8) and 60-64 (30) of working age; women: 15 (7) and
    # 15-19 (20) of working age, 65 (9) and 65-69 (40) old.
    broad = indicators.broad_age_groups(indicators.pyramid(edges, CITY))
    assert broad.to_dict("records") == [
        {"age_group": "0-14", "male": 16, "female": 0, "persons": 16, "share": 16 / 130},
        {"age_group": "15-64", "male": 38, "female": 27, "persons": 65, "share": 65 / 130},
        {"age_group": "65+", "male": 0, "female": 49, "persons": 49, "share": 49 / 130},
    ]


@pytest.mark.parametrize(("fixture", "code", "population"), [("tiny", CITY, 190), ("sample", "53.71", 442_758)])
def test_broad_age_groups_add_up_to_the_population(fixture, code, population, request):
    broad = indicators.broad_age_groups(indicators.pyramid(request.getfixturevalue(fixture), code))
    assert broad["persons"].sum() == population
    assert broad["share"].sum() == pytest.approx(1.0)


def test_headline_is_the_area_row(tiny):
    headline = indicators.headline(tiny, SATU)
    assert (headline["code"], headline["persons"], headline["density"]) == (SATU, 70, 70.0)


def test_unknown_area_is_a_key_error(tiny):
    with pytest.raises(KeyError, match="unknown area code"):
        indicators.area(tiny, "00.00")


def test_sex_ratio_by_age_and_broad_groups(tiny):
    pyramid = indicators.pyramid(tiny, SATU)
    by_age = indicators.sex_ratio_by_age(pyramid)
    assert by_age.loc[by_age["age_group"] == "30-34", ["male", "female", "sex_ratio"]].values.tolist() == [
        [20, 20, 100.0]
    ]
    broad = indicators.broad_age_groups(pyramid)
    assert broad.to_dict("records") == [
        {"age_group": "0-14", "male": 10, "female": 10, "persons": 20, "share": 20 / 70},
        {"age_group": "15-64", "male": 20, "female": 20, "persons": 40, "share": 40 / 70},
        {"age_group": "65+", "male": 5, "female": 5, "persons": 10, "share": 10 / 70},
    ]


def test_online_pace(tiny):
    trend = run(tiny, "online_trend", area=CITY)
    pace = indicators.online_pace(trend, date(2020, 3, 2), date(2020, 3, 31))
    # Target 50% of 400 households = 200; 100 complete; 55 completed in the one day before.
    assert pace == indicators.OnlinePace(
        on=date(2020, 3, 2),
        deadline=date(2020, 3, 31),
        days_left=29,
        target_households=200,
        complete=100,
        households_needed=100,
        pace_needed=100 / 29,
        pace_last_7_days=55.0,
        projected_date=date(2020, 3, 4),
    )


def test_online_pace_over_reports_that_are_not_daily():
    # Reports on 1, 5, 9 and 12 March: the recent pace runs from 5 March, the last report at least
    # 7 days before the 12th: (260 - 120) households over 7 days.
    trend = pd.DataFrame(
        {
            "date": [date(2020, 3, 1), date(2020, 3, 5), date(2020, 3, 9), date(2020, 3, 12)],
            "base": 1000,
            "complete": [40, 120, 200, 260],
            "target": 0.5,
        }
    )
    pace = indicators.online_pace(trend, date(2020, 3, 12), date(2020, 3, 31))
    assert (pace.pace_last_7_days, pace.households_needed, pace.pace_needed) == (20.0, 240, 240 / 19)
    assert pace.projected_date == date(2020, 3, 24)


def test_online_pace_over_the_last_7_days_of_daily_reports():
    # Daily from 1 to 9 March: the recent pace runs from 2 March, 7 days before the 9th: (290 - 10) / 7
    # = 40 a day (from 3 March, 6 days before, it would be 45); 500 - 290 = 210 households still needed
    # take ceil(210 / 40) = 6 days, to 15 March.
    trend = pd.DataFrame(
        {
            "date": [date(2020, 3, day) for day in range(1, 10)],
            "base": 1000,
            "complete": [0, 10, 20, 40, 70, 110, 160, 220, 290],
            "target": 0.5,
        }
    )
    pace = indicators.online_pace(trend, date(2020, 3, 9), date(2020, 3, 31))
    assert (pace.pace_last_7_days, pace.households_needed, pace.projected_date) == (40.0, 210, date(2020, 3, 15))


def test_online_pace_on_the_deadline_needs_no_daily_pace(tiny):
    trend = run(tiny, "online_trend", area=CITY)
    pace = indicators.online_pace(trend, date(2020, 3, 2), date(2020, 3, 2))
    assert (pace.days_left, pace.households_needed, pace.pace_needed) == (0, 100, None)


def test_online_pace_before_any_progress_is_an_error(tiny):
    trend = run(tiny, "online_trend", area=CITY)
    with pytest.raises(ValueError, match="no SP Online progress"):
        indicators.online_pace(trend, date(2020, 2, 1), date(2020, 3, 31))


@pytest.mark.parametrize(
    ("on", "deadline", "days_left"),
    [
        (date(2020, 3, 18), date(2020, 3, 31), 13),
        (date(2020, 3, 30), date(2020, 3, 31), 1),
        (date(2020, 3, 31), date(2020, 3, 31), 0),  # the original deadline's own day
        (date(2020, 4, 1), date(2020, 5, 29), 58),  # 29 days left in April, then 29 in May
        (date(2020, 5, 28), date(2020, 5, 29), 1),
        (date(2020, 5, 29), date(2020, 5, 29), 0),
        (date(2020, 5, 30), date(2020, 5, 29), 0),
    ],
)
def test_deadline_in_force_and_days_left(tiny, on, deadline, days_left):
    assert indicators.deadline_on(tiny, on) == deadline
    trend = run(tiny, "online_trend", area=CITY)
    assert indicators.online_pace(trend, on, indicators.deadline_on(tiny, on)).days_left == days_left


def test_attention_list_lowest_rate_first_and_only_those_short_of_target(tiny):
    attention = indicators.attention_list(tiny, CITY, date(2020, 3, 2))
    assert attention[["code", "rate", "gap"]].values.tolist() == [[TIGA, 0.1, 40], ["99.01.01.1002", 0.2, 60]]


def test_age_profile_puts_the_parents_share_beside_each_cell(tiny):
    # Satu: 0-4, 30-34 and 70-74 (70 persons); its kecamatan Barat adds 20-24 (30 men, 40 women) and 10-14.
    profile = indicators.age_profile(tiny, SATU, None, BARAT)
    cells = profile.table.set_index(["age_group", "sex"])
    assert cells.loc[("30-34", 1), ["persons", "share", "parent_share"]].tolist() == pytest.approx(
        [20, 20 / 70, 20 / 150]
    )
    assert cells.loc[("20-24", 2), "parent_share"] == pytest.approx(40 / 150)
    assert profile.parent["persons"].sum() == 150
    assert profile.by_age.set_index("age_group").loc["30-34", "sex_ratio"] == 100.0
    assert profile.broad["persons"].tolist() == [20, 40, 10]
    alone = indicators.age_profile(tiny, SATU)
    assert alone.parent is None and "parent_share" not in alone.table.columns
