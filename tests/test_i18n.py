"""The language catalog: complete in both languages, codes labelled, ratios and indicators in words,
datasets described in the reader's language."""

import ast
import io
import json
import re
import tomllib
from datetime import date
from pathlib import Path
from string import Formatter

import pytest
import streamlit as st
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from queries import run
from sensus import briefing, deck, i18n, store
from sensus.i18n import t

PROJECT = Path(__file__).resolve().parent.parent
SOURCES = [*(PROJECT / "sensus").rglob("*.py"), *(PROJECT / "app").rglob("*.py"), *(PROJECT / "pages").glob("*.py")]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_every_string_has_both_languages_with_the_same_placeholders():
    indonesian, english = i18n.catalog("id"), i18n.catalog("en")
    only_in_one = sorted(set(indonesian) ^ set(english))
    mismatched = [key for key in indonesian.keys() & english.keys() if fields(indonesian[key]) != fields(english[key])]
    empty = [key for catalog in (indonesian, english) for key, text in catalog.items() if not text.strip()]
    assert (only_in_one, mismatched, empty) == ([], [], [])


def test_every_indicator_has_its_format_and_all_its_texts_in_both_languages():
    with open(i18n.LOCALES_DIR / "indicators.toml", "rb") as file:
        entries = tomllib.load(file)
    required = {"name", "definition", "formula", "source"}
    problems = []
    for name, entry in entries.items():
        if set(entry) != {"format", "decimals", *i18n.LANGUAGES}:
            problems.append((name, sorted(entry)))
        if entry.get("format") not in i18n.INDICATOR_FORMATS or not isinstance(entry.get("decimals"), int):
            problems.append((name, entry.get("format"), entry.get("decimals")))
        texts = [entry.get(lang, {}) for lang in i18n.LANGUAGES]
        if any(set(text) != set(texts[0]) for text in texts):
            problems.append((name, [sorted(text) for text in texts]))
        if any(not required <= set(text) <= required | {"short", "unit"} for text in texts):
            problems.append((name, "fields", [sorted(text) for text in texts]))
        if any(not value.strip() for text in texts for value in text.values()):
            problems.append((name, "empty"))
    assert problems == []
    assert list(entries) == list(i18n.INDICATORS)
    assert set(i18n.HEADLINE_INDICATORS) <= set(i18n.INDICATORS)


def message_keys_in_the_source() -> list[tuple[str, int, str]]:
    """Every key given as a literal to t(...), view.t(...) or a dotted one to .text(...), and the literal start
    of every f-string key followed by * ("upload.kind.{kind}" -> "upload.kind.*"), with its file and line."""
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            function = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            key = node.args[0]
            if isinstance(key, ast.JoinedStr) and key.values and isinstance(key.values[0], ast.Constant):
                key = ast.Constant(key.values[0].value + "*")
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue
            if function == "t" or (function == "text" and "." in key.value):
                found.append((str(path.relative_to(PROJECT)), node.lineno, key.value))
    return found


def test_every_key_the_code_uses_is_in_the_catalog():
    keys = set(i18n.catalog("id"))
    used = message_keys_in_the_source()
    missing = [
        (path, line, key)
        for path, line, key in used
        if key not in keys and not (key.endswith("*") and any(known.startswith(key[:-1]) for known in keys))
    ]
    assert missing == []
    assert ("app/ui.py", "footer.dataset") in {(path, key) for path, _, key in used}


def test_placeholders_are_filled():
    assert t("legend.target", "id", value="27,8%") == "Target 27,8%"
    assert t("filter.all", "en", levels="districts") == "All districts"


def test_unknown_key_or_language_is_a_clear_error():
    with pytest.raises(KeyError, match="no text for 'page.nowhere'"):
        t("page.nowhere", "id")
    with pytest.raises(KeyError, match="no 'fr' text for 'app.title'"):
        t("app.title", "fr")
    with pytest.raises(KeyError, match="no text for 'rakor.headline' in sensus/locales/en.toml"):
        t("rakor.headline", "en")
    with pytest.raises(KeyError, match="unknown language 'fr'"):
        i18n.indicator_metadata("density", "fr")
    with pytest.raises(KeyError, match="no indicator 'weight'"):
        i18n.format_indicator("weight", 60.0, "id")


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


def test_a_dataset_is_described_in_the_readers_language(tiny_db):
    with store.replacing(tiny_db) as con:
        store.record_dataset(
            con,
            kind="population",
            source_file="penduduk.csv",
            sha256="f" * 64,
            rows_read=3,
            persons_read=190,
            synthetic=False,
            description_key="dataset.file",
            description_values={"kind": "population", "file": "penduduk.csv", "format": "CSV"},
        )
    with store.connect(tiny_db) as con:
        datasets = run(con, "datasets")
    assert list(datasets["description_values"]) == [
        '{"file": "penduduk.csv", "format": "CSV", "kind": "population"}',
        '{"calibration": "tiny"}',
    ]
    described = [[i18n.dataset_description(row, lang) for _, row in datasets.iterrows()] for lang in i18n.LANGUAGES]
    assert described == [
        [
            "Penduduk dari berkas penduduk.csv (CSV)",
            "Data sintetis SP2020 Kota Kupang, dikalibrasi ke angka yang dipublikasikan (tiny)",
        ],
        [
            "Population from file penduduk.csv (CSV)",
            "Synthetic SP2020 data for Kota Kupang, calibrated to the published figures (tiny)",
        ],
    ]


def test_the_footer_describes_the_dataset_in_english(sample_db, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(sample_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=60)
    app.query_params["lang"] = "EN"
    app.run()
    st.cache_data.clear()
    st.cache_resource.clear()
    assert not app.exception, [error.value for error in app.exception]
    datasets = [caption.value.split("  \n")[0] for caption in app.caption if caption.value.startswith("Data: ")]
    assert datasets == [
        "Data: Synthetic SP2020 data for Kota Kupang, calibrated to the published figures "
        "(data/calibration_5371.csv) — **Synthetic data — not official SP2020 results**"
    ]


# Indonesian words of the catalog that no English text has (names of places and agencies aside).
INDONESIAN = re.compile(
    r"\b(dan|jumlah|penduduk|tahun|sumber|sintetis|kelompok|umur|pendidikan|perempuan|wilayah|tanggal|"
    r"dirahasiakan|menurut|hingga|capaian|keadaan|dimuat|berkas|semua|rasio|kepadatan|unduh|lihat|hari)\b",
    re.IGNORECASE,
)
PAGES = ("ringkasan", "penduduk", "pendidikan", "sp_online", "asn", "bandingkan", "data_metode", "presentasi")


def labels_of(figure: dict) -> list[str]:
    """The texts a chart draws itself (titles, axis titles and ticks, legend, notes), not the names in its data."""
    texts = [trace["name"] for trace in figure.get("data", []) if isinstance(trace.get("name"), str)]

    def walk(value, key: str = "") -> None:
        if isinstance(value, dict):
            for inner, item in value.items():
                walk(item, inner)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str) and key in ("text", "ticktext"):
            texts.append(value)

    walk(figure.get("layout", {}))
    return texts


@pytest.mark.parametrize("page", PAGES)
def test_an_english_page_holds_no_indonesian_text(page, sample_db, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(sample_db))
    monkeypatch.setenv("SENSUS_PROTECTION", "on")
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=60)
    app.query_params.update(lang="EN", kecamatan="Kota Lama")
    app.run()
    app.switch_page(f"pages/{page}.py").run()
    assert not app.exception, [error.value for error in app.exception]
    shown = [*app.title, *app.subheader, *app.caption, *app.markdown, *app.info, *app.warning]
    texts = [element.value for element in shown] + [metric.label for metric in app.metric]
    texts += [widget.label for widget in [*app.selectbox, *app.radio, *app.multiselect, *app.date_input]]
    texts += [text for chart in app.get("plotly_chart") for text in labels_of(json.loads(chart.proto.spec))]
    assert [match.group(0) for text in texts for match in INDONESIAN.finditer(text)] == []


def test_the_english_briefing_and_deck_hold_no_indonesian_text(sample_db, monkeypatch):
    monkeypatch.setenv("SENSUS_PROTECTION", "on")
    with store.connect(sample_db) as con:
        content = briefing.assemble(con, "53.71.06", date(2020, 3, 18), "en")
    page = re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", briefing.to_html(content), flags=re.DOTALL))
    slides = Presentation(io.BytesIO(deck.to_pptx(content))).slides
    texts = [page] + [shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame]
    texts += [
        str(label)
        for slide in slides
        for shape in slide.shapes
        if shape.has_chart
        for label in [*shape.chart.plots[0].categories, *(series.name for series in shape.chart.plots[0].series)]
    ]
    assert [match.group(0) for text in texts for match in INDONESIAN.finditer(text)] == []
