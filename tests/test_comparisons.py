"""The overview's comparisons (with the parent area, or of the child areas) and the map's data,
on the tiny store (see tests/test_queries.py for its hand-worked counts)."""

from datetime import date

import pandas as pd
import pytest

from sensus import indicators

BARAT, TIMUR, CITY = "99.01.01", "99.01.02", "99.01"


def test_an_area_is_compared_with_its_parent_most_different_first(tiny):
    compared = indicators.comparisons(indicators.area_indicators(tiny, BARAT))
    # Barat against Kota Uji: density 150/4 against 190/10; sex ratio 100 against 100*107/83;
    # dependency 100*40/110 against 100*60/130; higher education and median age differ less.
    assert list(compared["indicator"]) == ["density", "sex_ratio", "dependency_total"]
    assert set(compared["area"]) == {"Barat"} and set(compared["reference"]) == {"Kota Uji"}
    assert compared["value"].tolist() == pytest.approx([37.5, 100.0, 100 * 40 / 110])
    assert compared["reference_value"].tolist() == pytest.approx([19.0, 100 * 107 / 83, 100 * 60 / 130])
    assert compared["ratio"].tolist() == pytest.approx([37.5 / 19.0, 83 / 107, (40 / 110) / (60 / 130)])


def test_a_top_level_area_is_compared_with_its_most_unlike_child_areas(tiny):
    compared = indicators.comparisons(indicators.area_indicators(tiny, CITY))
    # Timur against Kota Uji: sex ratio 100*32/8 against 100*107/83 (3.1 times); density 40/6 against
    # 19 (0.35 times); dependency 100*20/20 against 100*60/130 (2.2 times). Barat's largest
    # difference, density 1.97 times, is smaller than Timur's on the same indicator.
    assert compared[["area", "indicator", "reference"]].values.tolist() == [
        ["Timur", "sex_ratio", "Kota Uji"],
        ["Timur", "density", "Kota Uji"],
        ["Timur", "dependency_total", "Kota Uji"],
    ]
    assert compared["ratio"].tolist() == pytest.approx([400 / (100 * 107 / 83), (40 / 6) / 19, 100 / (100 * 60 / 130)])


def test_a_child_area_within_a_tenth_of_the_whole_is_not_named_as_unlike_it():
    values = dict(density=100.0, higher_education_share=0.2, dependency_total=50.0, median_age=30.0, sex_ratio=100.0)
    table = pd.DataFrame(
        [
            {"name": "Kota", "role": "area", **values},
            {"name": "Dekat", "role": "child", **values, "density": 109.0, "median_age": 27.5},
            {"name": "Jauh", "role": "child", **values, "sex_ratio": 89.0},
        ]
    )
    compared = indicators.comparisons(table)
    assert compared[["area", "indicator"]].values.tolist() == [["Jauh", "sex_ratio"]]


def test_a_lone_area_has_nothing_to_compare_with(tiny):
    lone = indicators.area_indicators(tiny, CITY).query("role == 'area'")
    compared = indicators.comparisons(lone)
    assert compared.empty
    assert list(compared.columns) == ["area", "indicator", "value", "reference", "reference_value", "ratio"]


def test_child_indicators_for_the_map(tiny):
    children = indicators.child_indicators(tiny, CITY, date(2020, 3, 2))
    assert children[["code", "name", "level", "lat", "lon", "persons", "density", "online_rate"]].values.tolist() == [
        [BARAT, "Barat", "district", -10.0, 123.0, 150, 37.5, 90 / 300],
        [TIMUR, "Timur", "district", -10.0, 123.0, 40, 40 / 6, 10 / 100],
    ]
