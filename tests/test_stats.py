"""Statistics against published worked figures."""

import math

import pytest

from sensus import stats


def test_sex_ratio_of_ntt_sp2020():
    # BPS NTT, SP2020 release 21 Jan 2021: 2,663,771 males and 2,661,795 females -> 100.07.
    assert round(stats.sex_ratio(2_663_771, 2_661_795), 2) == 100.07


def test_dependency_ratio_of_ntt_sp2020():
    # BPS NTT, SP2020: 24.64% aged 0-14, 69.47% aged 15-64, 5.89% aged 65+ -> total dependency 43.95.
    ratios = stats.dependency_ratios(24.64, 69.47, 5.89)
    assert {name: round(value, 2) for name, value in ratios.items()} == {"young": 35.47, "old": 8.48, "total": 43.95}


def test_grouped_median_worked_example():
    # NCERT Mathematics, Class X, ch. 14 "Statistics", Example 7: heights of 51 girls in classes of 5 cm,
    # <140: 4, 140-145: 7, 145-150: 18, 150-155: 11, 155-160: 6, 160-165: 5; median 149.03 cm.
    # In whole-unit classes [low, high] a class 145-149 spans 145 to 150.
    lower = [135, 140, 145, 150, 155, 160]
    upper = [139, 144, 149, 154, 159, 164]
    assert round(stats.grouped_median(lower, upper, [4, 7, 18, 11, 6, 5]), 2) == 149.03


def test_grouped_median_of_single_years_interpolates_within_the_year():
    # 10 persons aged 20 and 10 aged 21: half (10) is reached at the end of age 20.
    assert stats.grouped_median([20, 21], [20, 21], [10, 10]) == 21.0
    assert stats.grouped_median([20, 21], [20, 21], [10, 30]) == pytest.approx(21 + 10 / 30)


def test_grouped_median_in_the_open_top_group_is_its_lower_bound():
    assert stats.grouped_median([0, 75], [74, None], [1, 5]) == 75.0


def test_grouped_median_ignores_input_order_and_empty_input():
    assert stats.grouped_median([10, 0], [19, 9], [5, 5]) == 10.0
    assert math.isnan(stats.grouped_median([], [], []))
    assert math.isnan(stats.grouped_median([0], [4], [0]))


def test_ratios_with_a_zero_denominator_are_nan():
    assert math.isnan(stats.sex_ratio(5, 0))
    assert all(math.isnan(value) for value in stats.dependency_ratios(1, 0, 1).values())
