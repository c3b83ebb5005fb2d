"""The privacy audit: the attack on small tables worked by hand, and on the sample without protection
(it must find the small counts) and with protection as it stands (a known weakness)."""

import math

import pandas as pd
import pytest

from tools import privacy_audit

NAN = math.nan


def sums(*rows):
    return pd.DataFrame(rows, columns=["cells", "value"])


def test_one_withheld_cell_beside_its_published_total_is_recovered():
    # One row of three cells with its total: 7 + <5 + 12 = 22.
    found = privacy_audit.bounds(sums(((0,), 7), ((1,), NAN), ((2,), 12), ((0, 1, 2), 22)))
    assert found.to_dict("records") == [{"cells": (1,), "lower": 3.0, "upper": 3.0, "width": 0.0}]


def test_two_withheld_cells_in_a_row_and_in_a_column_are_narrowed_to_a_range():
    # Two rows of three cells, numbered 0 1 2 / 3 4 5, with their row and column totals:
    #       W  W  6 | 11      W0 + W1 = 5
    #       W  W  8 | 17      W3 + W4 = 9
    #       6  8 14 | 28      W0 + W3 = 6, W1 + W4 = 8
    # With W0 = t: W1 = 5 - t, W3 = 6 - t, W4 = 3 + t, and every W at least 1 gives 1 <= t <= 4.
    table = sums(
        ((0,), NAN),
        ((1,), NAN),
        ((2,), 6),
        ((3,), NAN),
        ((4,), NAN),
        ((5,), 8),
        ((0, 1, 2), 11),
        ((3, 4, 5), 17),
        ((0, 3), 6),
        ((1, 4), 8),
        ((2, 5), 14),
        ((0, 1, 2, 3, 4, 5), 28),
    )
    assert privacy_audit.bounds(table).to_dict("records") == [
        {"cells": (0,), "lower": 1.0, "upper": 4.0, "width": 3.0},
        {"cells": (1,), "lower": 1.0, "upper": 4.0, "width": 3.0},
        {"cells": (3,), "lower": 2.0, "upper": 5.0, "width": 3.0},
        {"cells": (4,), "lower": 4.0, "upper": 7.0, "width": 3.0},
    ]


def test_a_withheld_cell_with_no_published_total_is_unbounded_above():
    found = privacy_audit.bounds(sums(((0,), NAN), ((1,), 9)))
    assert found.to_dict("records") == [{"cells": (0,), "lower": 1.0, "upper": math.inf, "width": math.inf}]


def small_counts_of_the_sample_villages(con) -> dict[str, int]:
    """How many counts from 1 to 4 each table kind publishes about the sample's kelurahan, from the
    store's persons: the pyramid (age group x sex), its broad groups (by sex and in all), education by
    sex, by age group and in all (across the kecamatan's kelurahan), and the headline counts, shown
    on the kelurahan's page and on its kecamatan's."""
    persons = con.execute("select area_code as area, sex, age_from, education, persons from population").df()
    persons = persons.assign(
        age_group=(persons["age_from"].clip(upper=75) // 5) * 5,
        broad=pd.cut(persons["age_from"], [-1, 14, 64, 200], labels=["0-14", "15-64", "65+"]),
        higher=persons["education"] >= 6,
        with_education=persons["education"].notna(),
    )
    educated = persons[persons["with_education"]]

    def small(frame, keys):
        counts = frame.groupby(keys, observed=True)["persons"].sum()
        return int(counts.between(1, 4).sum())

    headline = [
        small(persons, ["area"]),
        small(persons, ["area", "sex"]),
        small(persons, ["area", "broad"]),
        small(educated, ["area"]),
        small(educated[educated["higher"]], ["area"]),
    ]
    return {
        "broad_age_groups": small(persons, ["area", "broad", "sex"]) + small(persons, ["area", "broad"]),
        "education_by_age": small(educated, ["area", "age_group", "education"]),
        "education_by_child_area": small(educated, ["area", "education"]),
        "education_by_sex": small(educated, ["area", "education", "sex"]),
        "indicators": 2 * sum(headline),
        "pyramid": small(persons, ["area", "age_group", "sex"]),
    }


def test_without_protection_the_audit_finds_every_small_count(sample, monkeypatch):
    monkeypatch.setenv("SENSUS_PROTECTION", "off")
    result = privacy_audit.audit(sample)
    summary = result["summary"].set_index("kind")
    assert summary["level"].unique().tolist() == ["village"]
    assert summary["exposed"].to_dict() == small_counts_of_the_sample_villages(sample)
    assert result["totals"]["exposed"] > 0
    assert summary[["withheld", "exact", "below_k"]].to_numpy().sum() == 0


@pytest.mark.xfail(
    strict=True,
    reason="Today's protection withholds 614 counts of the sample's kelurahan (602 in education by age group; 250 "
    "truly of 1 to 4 persons), and the tables published beside them recover 322 exactly (121 of the 250) and narrow "
    "208 more to a width of 1 to 4 (103 of the 250)",
)
def test_no_withheld_count_is_recovered_or_narrowed_below_k(sample, monkeypatch):
    monkeypatch.delenv("SENSUS_PROTECTION", raising=False)
    monkeypatch.delenv("SENSUS_MIN_CELL", raising=False)
    totals = privacy_audit.audit(sample, workers=2)["totals"]
    assert {figure: totals[figure] for figure in ("exposed", "exact", "below_k")} == {
        "exposed": 0,
        "exact": 0,
        "below_k": 0,
    }
