"""Numbers, percentages and dates in each language, and plotly's separators."""

from datetime import date

import pytest

from sensus import formatting


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", ["442.758", "27,95%", "101,4", "2.456", "18 Maret 2020", "29 Mei 2020", ",."]),
        ("en", ["442,758", "27.95%", "101.4", "2,456", "18 March 2020", "29 May 2020", ".,"]),
    ],
)
def test_formats_follow_the_language(lang, expected):
    assert [
        formatting.number(442758, lang),
        formatting.percent(0.27953, lang),
        formatting.decimal(101.36, lang, 1),
        formatting.decimal(2456.08, lang, 0),
        formatting.long_date(date(2020, 3, 18), lang),
        formatting.short_date(date(2020, 5, 29), lang),
        formatting.plotly_separators(lang),
    ] == expected


def test_numbers_for_a_data_file_have_no_grouping_and_the_language_decimal_mark():
    assert [formatting.machine_number(value, "id") for value in (1500, 101.36, 0.5)] == ["1500", "101,36", "0,5"]
    assert [formatting.machine_number(value, "en") for value in (1500, 101.36, None)] == ["1500", "101.36", ""]


def test_percent_digits_and_rounding():
    assert formatting.percent(0.0387755, "id", 1) == "3,9%"
    assert formatting.percent(0.3, "en", 0) == "30%"
    assert formatting.number(1234.6, "id") == "1.235"


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_missing_values_show_a_dash(missing):
    assert [
        formatting.number(missing, "id"),
        formatting.percent(missing, "en"),
        formatting.long_date(missing, "id"),
    ] == ["–", "–", "–"]


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        formatting.number(1, "fr")
