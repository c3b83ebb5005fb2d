"""The language catalog: complete in both languages, codes labelled, ratios and indicators in words."""

from string import Formatter

import pytest

from sensus import i18n
from sensus.i18n import t


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_every_string_has_both_languages_with_the_same_placeholders():
    incomplete = [key for key, texts in i18n.STRINGS.items() if set(texts) != set(i18n.LANGUAGES)]
    mismatched = [key for key, texts in i18n.STRINGS.items() if fields(texts["id"]) != fields(texts["en"])]
    empty = [key for key, texts in i18n.STRINGS.items() if not all(text.strip() for text in texts.values())]
    assert (incomplete, mismatched, empty) == ([], [], [])


def test_placeholders_are_filled():
    assert t("legend.target", "id", value="27,8%") == "Target 27,8%"
    assert t("filter.all", "en", levels="districts") == "All districts"


def test_unknown_key_or_language_is_a_clear_error():
    with pytest.raises(KeyError, match="no text for 'page.nowhere'"):
        t("page.nowhere", "id")
    with pytest.raises(KeyError, match="no 'fr' text for 'app.title'"):
        t("app.title", "fr")


def test_code_labels():
    assert [i18n.sex_label(1, "id"), i18n.sex_label(2, "id"), i18n.sex_label(1, "en")] == [
        "Laki-laki",
        "Perempuan",
        "Male",
    ]
    assert [i18n.level_label("district", "id"), i18n.levels_label("village", "en")] == ["Kecamatan", "villages"]
    assert i18n.education_labels("id") == {
        1: "Tidak/belum pernah sekolah",
        2: "Tidak/belum tamat SD",
        3: "SD/sederajat",
        4: "SMP/sederajat",
        5: "SMA/SMK/sederajat",
        6: "Diploma I-III",
        7: "Diploma IV/S1",
        8: "S2/S3",
    }
    assert i18n.education_labels("en")[7] == "Diploma IV/Bachelor"


@pytest.mark.parametrize(
    ("ratio", "words_id", "words_en"),
    [
        (4.68, "sekitar lima kali", "about five times"),
        (4.0, "sekitar empat kali", "about four times"),
        (2.2, "sekitar dua kali", "about two times"),
        (1.5, "sekitar satu setengah kali", "about one and a half times"),
        (1.2, "sedikit di atas", "slightly above"),
        (1.02, "hampir sama dengan", "about the same as"),
        (0.93, "hampir sama dengan", "about the same as"),
        (0.85, "sedikit di bawah", "slightly below"),
        (0.75, "sekitar tiga perempat", "about three quarters of"),
        (0.68, "sekitar dua pertiga", "about two thirds of"),
        (0.6, "sekitar dua pertiga", "about two thirds of"),
        (0.59, "sekitar setengah", "about half"),
        (0.5, "sekitar setengah", "about half"),
        (0.3, "sekitar sepertiga", "about a third of"),
        (0.26, "sekitar seperempat", "about a quarter of"),
        (15.0, "lebih dari sepuluh kali", "more than ten times"),
        (0.05, "kurang dari sepersepuluh", "less than a tenth of"),
    ],
)
def test_ratio_in_words(ratio, words_id, words_en):
    assert (i18n.ratio_in_words(ratio, "id"), i18n.ratio_in_words(ratio, "en")) == (words_id, words_en)


def test_every_positive_ratio_has_words():
    ratios = [step / 1000 for step in range(1, 20001)]
    assert all(i18n.ratio_in_words(ratio, lang) for ratio in ratios for lang in i18n.LANGUAGES)


@pytest.mark.parametrize("ratio", [0, -1.0, float("nan")])
def test_ratio_in_words_needs_a_positive_ratio(ratio):
    with pytest.raises(ValueError, match="positive number"):
        i18n.ratio_in_words(ratio, "id")


def test_comparison_sentence_in_both_languages():
    values = dict(area="Kota Lama", parent="Kota Kupang", value="11.506 jiwa/km²", parent_value="2.456 jiwa/km²")
    assert t(
        "compare.sentence", "id", indicator="Kepadatan penduduk", ratio=i18n.ratio_in_words(4.68, "id"), **values
    ) == (
        "Kepadatan penduduk Kota Lama sekitar lima kali angka Kota Kupang (11.506 jiwa/km² dibanding 2.456 jiwa/km²)."
    )
    assert t(
        "compare.sentence", "en", indicator="Population density", ratio=i18n.ratio_in_words(0.5, "en"), **values
    ) == (
        "Population density in Kota Lama is about half the Kota Kupang figure (11.506 jiwa/km² against 2.456 jiwa/km²)."
    )


def test_indicator_values_with_and_without_units():
    assert [
        i18n.format_indicator("persons", 442758, "id"),
        i18n.format_indicator("density", 2456.08, "id"),
        i18n.format_indicator("density", 2456.08, "en"),
        i18n.format_indicator("median_age", 25.94, "id"),
        i18n.format_indicator("median_age", 25.94, "en", unit=False),
        i18n.format_indicator("sex_ratio", 101.36, "id"),
        i18n.format_indicator("higher_education_share", 0.18122, "id"),
        i18n.format_indicator("online_rate", 0.0388, "en"),
    ] == ["442.758", "2.456 jiwa/km²", "2,456 per km²", "25,9 tahun", "25.9", "101,4", "18,1%", "3.9%"]


def test_cards_use_a_short_name_where_there_is_one():
    assert [i18n.indicator_short_name("higher_education_share", "en"), i18n.indicator_short_name("density", "id")] == [
        "Higher education",
        "Kepadatan penduduk",
    ]


def test_every_indicator_has_its_metadata_in_both_languages():
    for lang in i18n.LANGUAGES:
        for name in i18n.INDICATORS:
            metadata = i18n.indicator_metadata(name, lang)
            assert list(metadata) == ["name", "definition", "formula", "source"]
            assert all(metadata.values()), (name, lang)
    assert i18n.indicator_metadata("sex_ratio", "id")["formula"] == "100 × laki-laki / perempuan"
