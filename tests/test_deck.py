"""The rakor deck: opened back with python-pptx, its slides, its native charts' data and its words."""

import io
import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from pptx import Presentation
from pypdf import PdfReader

from queries import run
from sensus import briefing, deck, indicators, store
from sensus.cli import main

CITY, KOTA_LAMA = "53.71", "53.71.06"
RAKOR = date(2020, 3, 18)
CHART_SLIDES = ("pyramid", "education", "online_areas", "online_trend", "asn_agencies")
EXCEL_EPOCH = date(1899, 12, 30)  # chart dates are stored as days since
PYRAMID_GROUPS = [
    "0-4",
    "5-9",
    "10-14",
    "15-19",
    "20-24",
    "25-29",
    "30-34",
    "35-39",
    "40-44",
    "45-49",
    "50-54",
    "55-59",
    "60-64",
    "65-69",
    "70-74",
    "75+",
]


def open_deck(content: briefing.Briefing) -> Presentation:
    return Presentation(io.BytesIO(deck.to_pptx(content)))


def texts(page) -> list[str]:
    return [
        paragraph.text
        for shape in page.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        if paragraph.text
    ]


def chart_of(page):
    charts = [shape.chart for shape in page.shapes if shape.has_chart]
    assert len(charts) == 1
    return charts[0]


def series(chart) -> dict[str, list]:
    return {s.name: list(s.values) for plot in chart.plots for s in plot.series}


def table_of(page) -> list[list[str]]:
    tables = [shape.table for shape in page.shapes if shape.has_table]
    assert len(tables) == 1
    return [[cell.text for cell in row.cells] for row in tables[0].rows]


# ---------------------------------------------------------------- the tiny store, worked by hand


def test_tiny_deck_slides_headlines_and_charts(tiny):
    # On 2 March: 100 of 400 households complete (25%) against a 50% target; no ASN figures that day.
    pages = open_deck(briefing.assemble(tiny, "99.01", date(2020, 3, 2))).slides
    assert [texts(page)[:2] for page in pages] == [
        ["Rapat koordinasi SP2020", "Kota Uji"],
        ["Indikator utama, Kota Uji", "190 penduduk, 19 per km²"],
        ["Piramida penduduk, Kota Uji", "Separuh penduduk berumur di bawah 20,8 tahun"],
        ["Pendidikan tertinggi, umur 5+, Kota Uji", "50,6% penduduk umur 5+ berijazah Diploma I ke atas"],
        ["SP Online per wilayah, Kota Uji", "Baru 25,0% KK selesai SP Online; target 50,0%"],
        # 200 households to reach, 100 short, 29 days to 31 March: 3.4 a day; the last day added 55.
        ["Laju SP Online, Kota Uji", "Perlu 3 KK selesai per hari sampai 31 Maret 2020; 7 hari terakhir 55 per hari"],
        ["Kelurahan yang perlu perhatian, Kota Uji", "Tiga baru 10,0%: perlu 40 KK lagi untuk mencapai target"],
        ["Sumber dan definisi", "Dari mana angka-angka ini"],
    ]
    assert texts(pages[0])[2:] == [
        "Keadaan 2 Maret 2020",
        "Data: Data sintetis SP2020 Kota Kupang, dikalibrasi ke angka yang dipublikasikan (tiny)",
        "Data sintetis — bukan hasil resmi SP2020",
    ]
    assert texts(pages[1])[-1] == (
        "Kota Uji · 2 Maret 2020 · Data: Data sintetis SP2020 Kota Kupang, dikalibrasi ke angka yang dipublikasikan "
        "(tiny) · Data sintetis — bukan hasil resmi SP2020"
    )

    pyramid = chart_of(pages[2])
    assert list(pyramid.plots[0].categories) == PYRAMID_GROUPS
    assert series(pyramid) == {
        "Laki-laki": [-22, 0, -10, 0, -30, 0, -20, 0, -20, 0, 0, 0, 0, 0, -5, 0],
        "Perempuan": [10, 0, 0, 0, 40, 0, 20, 0, 0, 0, 0, 0, 0, 8, 5, 0],
    }

    online = chart_of(pages[4])
    assert list(online.plots[0].categories) == ["Barat", "Timur"]
    assert series(online) == {"Selesai (bersih)": [0.3, 0.1], "Target 50,0%": [0.5, 0.5]}
    assert [type(plot).__name__ for plot in online.plots] == ["BarPlot", "LinePlot"]

    trend = chart_of(pages[5])
    march = [date(2020, 3, 1) + timedelta(days=day) for day in range(31)]
    assert [EXCEL_EPOCH + timedelta(days=float(day)) for day in trend.plots[0].categories] == march
    values = series(trend)
    assert values["Selesai (bersih)"] == [45 / 400, 0.25] + [None] * 29
    assert values["Target 50,0%"] == [0.5] * 31
    assert values["Laju yang diperlukan"][0] is None
    assert values["Laju yang diperlukan"][1:] == pytest.approx([0.25 + 0.25 * day / 29 for day in range(30)])

    assert table_of(pages[6]) == [
        ["Kelurahan/desa", "Kecamatan", "KK basis", "KK selesai", "Selesai (% basis)", "Kurang dari target"],
        ["Tiga", "Timur", "100", "10", "10,0%", "40"],
        ["Dua", "Barat", "200", "40", "20,0%", "60"],
    ]


def test_tiny_deck_in_english(tiny):
    pages = open_deck(briefing.assemble(tiny, "99.01", date(2020, 3, 2), "en")).slides
    assert [texts(page)[1] for page in pages][1:6] == [
        "190 people, 19 per km²",
        "Half the population is younger than 20.8 years",
        "50.6% of people aged 5+ hold a diploma or a degree",
        "Only 25.0% of households have completed SP Online; target 50.0%",
        "3 households a day are needed until 31 March 2020; the last 7 days averaged 55",
    ]
    assert series(chart_of(pages[2])).keys() == {"Male", "Female"}
    assert texts(pages[1])[-1].endswith("Synthetic data — not official SP2020 results")


def test_a_deck_of_population_only_has_the_slides_of_its_data(population_only_db, tmp_path):
    with store.connect(population_only_db) as con:
        pages = open_deck(briefing.assemble(con, "99.01", date(2026, 11, 2))).slides
    assert [texts(page)[:2] for page in pages] == [
        ["Rapat koordinasi SP2020", "Kota Uji"],
        ["Indikator utama, Kota Uji", "190 penduduk, 19 per km²"],
        ["Piramida penduduk, Kota Uji", "Separuh penduduk berumur di bawah 20,8 tahun"],
        ["Sumber dan definisi", "Dari mana angka-angka ini"],
    ]
    assert texts(pages[0])[2:] == ["Keadaan 2 November 2026", "Data: Penduduk dari berkas penduduk.csv (CSV)"]
    assert table_of(pages[1]) == [
        ["Indikator", "Nilai"],
        ["Jumlah penduduk", "190"],
        ["Rasio jenis kelamin", "128,9"],
        ["Umur median", "20,8 tahun"],
        ["Rasio ketergantungan", "46,2"],
        ["Kepadatan penduduk", "19 jiwa/km²"],
    ]
    assert series(chart_of(pages[2])) == {
        "Laki-laki": [-22, 0, -10, 0, -30, 0, -20, 0, -20, 0, 0, 0, 0, 0, -5, 0],
        "Perempuan": [10, 0, 0, 0, 40, 0, 20, 0, 0, 0, 0, 0, 0, 8, 5, 0],
    }
    out = tmp_path / "rakor.pptx"
    arguments = ["deck", "--db", str(population_only_db), "--area", "99.01", "--date", "2026-11-02"]
    assert main([*arguments, "--out", str(out)]) == 0
    assert len(Presentation(str(out)).slides) == 4


# ---------------------------------------------------------------- the sample: every chart equals its query


def test_city_deck_charts_equal_the_queries(sample):
    content = briefing.assemble(sample, CITY, RAKOR)
    pages = dict(zip(content.keys, open_deck(content).slides))
    assert content.keys == briefing.SLIDES

    pyramid = run(sample, "population_pyramid", area=CITY)
    assert series(chart_of(pages["pyramid"])) == {
        "Laki-laki": [-value for value in pyramid.loc[pyramid["sex"] == 1, "persons"]],
        "Perempuan": list(pyramid.loc[pyramid["sex"] == 2, "persons"]),
    }

    education = run(sample, "education_by_sex", area=CITY)
    assert series(chart_of(pages["education"])) == {
        "Laki-laki": pytest.approx(list(education.loc[education["sex"] == 1, "share"])),
        "Perempuan": pytest.approx(list(education.loc[education["sex"] == 2, "share"])),
    }

    children = run(sample, "online_by_child_area", area=CITY, date=RAKOR)
    online = chart_of(pages["online_areas"])
    assert list(online.plots[0].categories) == list(children["name"])
    assert series(online) == {"Selesai (bersih)": pytest.approx(list(children["rate"])), "Target 27,8%": [0.278] * 6}

    agencies = run(sample, "asn_by_agency", area=CITY, date=RAKOR)
    rest = agencies.iloc[5:50]
    asn = chart_of(pages["asn_agencies"])
    assert list(asn.plots[0].categories) == [
        *agencies["short_name"][:5],
        "45 OPD lainnya",
        *agencies["short_name"][50:],
    ]
    assert series(asn) == {
        "ASN selesai": pytest.approx(
            [*agencies["rate"][:5], rest["complete"].sum() / rest["employees"].sum(), *agencies["rate"][50:]]
        ),
        "Target 80,0%": [0.8] * 11,
    }

    trend = run(sample, "online_trend", area=CITY)
    upto = trend[trend["date"] <= RAKOR]
    completed = series(chart_of(pages["online_trend"]))["Selesai (bersih)"]
    assert completed == pytest.approx(list(upto["rate"]) + [None] * 13)  # 19 to 31 March

    villages = indicators.attention_list(sample, CITY, RAKOR)
    assert [row[0] for row in table_of(pages["attention"])[1:]] == list(villages["name"])
    assert texts(pages["asn_agencies"])[1] == "Baru 30% ASN mengisi SP Online; target 80%"


def font_sizes(deck) -> list[float]:
    """The size in points of every run of text and every chart text the deck sets, where it sets one."""
    sizes = []
    for page in deck.slides:
        for shape in page.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            sizes += [run.font.size.pt for frame in frames for p in frame.paragraphs for run in p.runs if run.font.size]
            sizes += [p.font.size.pt for frame in frames for p in frame.paragraphs if p.font.size]
            if shape.has_chart:
                # every a:defRPr and a:rPr of the chart's XML: its own, its axes', its legend's and labels'
                part = shape.chart._chartSpace
                sizes += [int(size) / 100 for size in part.xpath(".//a:defRPr/@sz | .//a:rPr/@sz")]
    return sizes


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_text_on_a_slide_is_at_least_14_points(sample, lang):
    sizes = font_sizes(open_deck(briefing.assemble(sample, CITY, RAKOR, lang)))
    assert len(sizes) > 50
    assert min(sizes) >= 14


@pytest.mark.parametrize(
    ("lang", "count", "percent", "day"),
    [
        ("id", "[$-421]#,##0;[$-421]#,##0", "[$-421]0%", "[$-421]d mmm"),
        ("en", "[$-409]#,##0;[$-409]#,##0", "[$-409]0%", "[$-409]d mmm"),
    ],
)
def test_each_chart_sets_its_number_formats_in_the_deck_s_language(sample, lang, count, percent, day):
    # Excel's format codes, in the language's locale (0x421 Indonesian, 0x409 English): LibreOffice then
    # shows 40.000 and 6,6% in an Indonesian deck, 40,000 and 6.6% in an English one, on any computer.
    content = briefing.assemble(sample, CITY, RAKOR, lang)
    pages = dict(zip(content.keys, open_deck(content).slides))
    value_axes = {key: chart_of(pages[key]).value_axis.tick_labels for key in briefing.SLIDES if key in CHART_SLIDES}
    assert {key: (labels.number_format, labels.number_format_is_linked) for key, labels in value_axes.items()} == {
        "pyramid": (count, False),
        "education": (percent, False),
        "online_areas": (percent, False),
        "online_trend": (percent, False),
        "asn_agencies": (percent, False),
    }
    for key, number_format in (("education", "0%"), ("online_areas", "0.0%")):
        labels = chart_of(pages[key]).plots[0].data_labels
        assert (labels.number_format, labels.number_format_is_linked) == (f"{percent[:7]}{number_format}", False)
    dates = chart_of(pages["online_trend"]).category_axis.tick_labels
    assert (dates.number_format, dates.number_format_is_linked) == (day, False)


# As LibreOffice draws them: the population (442,758 in the sample), the pyramid's axis in thousands, the
# SP Online rates by kecamatan with one decimal; and what the other language would write instead.
RENDERED = {
    "id": ("442.758", re.compile(r"\b[1-9]0\.000\b"), re.compile(r"\b\d,\d%"), re.compile(r"\b[1-9]0,000\b|\b\d\.\d%")),
    "en": ("442,758", re.compile(r"\b[1-9]0,000\b"), re.compile(r"\b\d\.\d%"), re.compile(r"\b[1-9]0\.000\b|\b\d,\d%")),
}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("lang", ["id", "en"])
def test_libreoffice_renders_every_slide_with_the_language_s_numbers(sample, lang, tmp_path):
    content = briefing.assemble(sample, CITY, RAKOR, lang)
    (tmp_path / "deck.pptx").write_bytes(deck.to_pptx(content))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "deck.pptx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = dict(zip(content.keys, (page.extract_text() for page in PdfReader(tmp_path / "deck.pdf").pages)))
    assert list(pages) == list(content.keys) and len(PdfReader(tmp_path / "deck.pdf").pages) == len(content.slides)
    population, thousands, rate, other_language = RENDERED[lang]
    assert population in pages["indicators"]
    assert thousands.search(pages["pyramid"]) and rate.search(pages["online_areas"])
    assert [page for page in pages.values() if other_language.search(page)] == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_deck_builds_for_the_city_and_every_kecamatan(sample, lang):
    codes = [CITY, *run(sample, "child_areas", area=CITY)["code"]]
    assert len(codes) == 7
    for code in codes:
        content = briefing.assemble(sample, code, RAKOR, lang)
        pages = open_deck(content).slides
        assert len(pages) == len(briefing.SLIDES)
        persons = sum(abs(value) for values in series(chart_of(pages[2])).values() for value in values)
        assert persons == indicators.headline(sample, code)["persons"]
        footer = texts(pages[1])[-1]
        assert footer.startswith(content.name) and "2020" in footer


def test_a_kelurahan_deck_has_no_child_area_slide(sample):
    content = briefing.assemble(sample, "53.71.06.1001", RAKOR)
    assert "online_areas" not in content.keys
    assert len(open_deck(content).slides) == len(briefing.SLIDES) - 1


def test_on_the_deadline_the_pace_slide_says_how_far_short_the_target_is(sample):
    last_day = date(2020, 5, 29)
    pace = indicators.online_pace(run(sample, "online_trend", area=CITY), last_day, last_day)
    pages = open_deck(briefing.assemble(sample, CITY, last_day)).slides
    assert pace.households_needed > 0
    assert [
        "Laju SP Online, Kota Kupang",
        f"Batas waktu 29 Mei 2020 telah tiba: masih kurang {pace.households_needed:,} KK dari target".replace(",", "."),
    ] in [texts(page)[:2] for page in pages]


# ---------------------------------------------------------------- the command line


def test_cli_writes_a_deck(sample_db, tmp_path, capsys):
    out = tmp_path / "rakor.pptx"
    assert (
        main(
            [
                "deck",
                "--db",
                str(sample_db),
                "--area",
                KOTA_LAMA,
                "--date",
                "2020-03-18",
                "--lang",
                "en",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    pages = Presentation(str(out)).slides
    assert texts(pages[0])[:3] == ["SP2020 coordination meeting", "Kota Lama", "Status on 18 March 2020"]
    assert f"written to {out}" in capsys.readouterr().out
    assert [path.name for path in tmp_path.iterdir()] == ["rakor.pptx"]


@pytest.mark.parametrize(
    "area, day, message",
    [
        (
            "53.99",
            "2020-03-18",
            "the store has no area with the code or name '53.99'; the nearest are Tuak Daun Merah (53.71.04.1014); "
            "Tode Kisar (53.71.06.1005)",
        ),
        (
            CITY,
            "2021-03-18",
            "no SP Online progress for Kota Kupang (53.71) on 2021-03-18; the data covers 2020-02-15 to 2020-05-29",
        ),
        (CITY, "18-03-2020", "--date '18-03-2020' is not a date; expected YYYY-MM-DD"),
    ],
)
def test_cli_refuses_an_unknown_area_or_a_date_outside_the_data(sample_db, tmp_path, capsys, area, day, message):
    out = tmp_path / "rakor.pptx"
    assert main(["deck", "--db", str(sample_db), "--area", area, "--date", day, "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"error: {message}\n"
    assert list(tmp_path.iterdir()) == []
