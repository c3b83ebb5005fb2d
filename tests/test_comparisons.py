"""The overview's comparisons with the parent area and the map's data, on the tiny store
(see tests/test_queries.py for its hand-worked counts)."""

from datetime import date

import pytest

from sensus import indicators

BARAT, TIMUR, CITY = "99.01.01", "99.01.02", "99.01"


def test_parent_comparisons_most_different_first(tiny):
    compared = indicators.parent_comparisons(indicators.area_indicators(tiny, BARAT))
    # Barat against Kota Uji: density 150/4 against 190/10; sex ratio 100 against 100*107/83;
    # dependency 100*40/110 against 100*60/130; higher education and median age differ less.
    assert list(compared["indicator"]) == ["density", "sex_ratio", "dependency_total"]
    assert compared["value"].tolist() == pytest.approx([37.5, 100.0, 100 * 40 / 110])
    assert compared["parent_value"].tolist() == pytest.approx([19.0, 100 * 107 / 83, 100 * 60 / 130])
    assert compared["ratio"].tolist() == pytest.approx([37.5 / 19.0, 83 / 107, (40 / 110) / (60 / 130)])


def test_a_top_level_area_has_nothing_to_compare_with(tiny):
    compared = indicators.parent_comparisons(indicators.area_indicators(tiny, CITY))
    assert compared.empty
    assert list(compared.columns) == ["indicator", "value", "parent_value", "ratio"]


def test_child_indicators_for_the_map(tiny):
    children = indicators.child_indicators(tiny, CITY, date(2020, 3, 2))
    assert children[["code", "name", "level", "lat", "lon", "persons", "density", "online_rate"]].values.tolist() == [
        [BARAT, "Barat", "district", -10.0, 123.0, 150, 37.5, 90 / 300],
        [TIMUR, "Timur", "district", -10.0, 123.0, 40, 40 / 6, 10 / 100],
    ]
