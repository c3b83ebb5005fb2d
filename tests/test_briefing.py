"""The rakor briefing: its slides, the offline HTML file (no outside address, every chart, drawn in
Chromium, one A4 page a section) and the chart cards."""

import re
import struct
from datetime import date
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs

from queries import run
from sensus import area_list, briefing, store
from sensus.cli import main

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
RAKOR = date(2020, 3, 18)
CHARTS = ["pyramid", "education", "online_areas", "online_trend", "asn_agencies", "attention"]


@pytest.fixture(scope="module")
def city(sample):
    return briefing.assemble(sample, "53.71", RAKOR)


@pytest.fixture(scope="module")
def city_html(city):
    return briefing.to_html(city)


def test_assemble_names_what_it_cannot_brief(tiny):
    with pytest.raises(briefing.BriefingError, match=r"^There is no area with code 99\.09 in the loaded data\.$"):
        briefing.assemble(tiny, "99.09", date(2020, 3, 2))
    with pytest.raises(
        briefing.BriefingError,
        match=r"^no SP Online progress for Kota Uji \(99\.01\) on 2020-03-03; "
        r"the data covers 2020-03-01 to 2020-03-02$",
    ):
        briefing.assemble(tiny, "99.01", date(2020, 3, 3))
    with pytest.raises(briefing.BriefingError, match=r"^unknown language 'fr'; expected one of id, en$"):
        briefing.assemble(tiny, "99.01", date(2020, 3, 2), "fr")


def test_tiny_briefing_slides(tiny):
    content = briefing.assemble(tiny, "99.01", date(2020, 3, 2))
    # No ASN figures on 2 March in the tiny store, so no ASN slide.
    assert content.keys == (
        "title",
        "indicators",
        "pyramid",
        "education",
        "online_areas",
        "online_trend",
        "attention",
        "sources",
    )
    assert content.deadlines == {
        "start": date(2020, 2, 15),
        "original": date(2020, 3, 31),
        "extended": date(2020, 5, 29),
    }
    indicators = content.slide("indicators").data
    assert list(zip(indicators["indicator"], indicators["text"])) == [
        ("persons", "190"),
        ("sex_ratio", "128,9"),
        ("median_age", "20,8 tahun"),
        ("dependency_total", "46,2"),
        ("density", "19 jiwa/km²"),
        ("higher_education_share", "50,6%"),
        ("online_rate", "25,0%"),
    ]
    sources = content.slide("sources").data
    assert list(sources.loc[sources["kind"] == "target", "text"]) == ["test", "test"]
    assert list(sources.loc[sources["kind"] == "target", "label"]) == [
        "Target ASN: 80,0%",
        "Target SP Online: 50,0% KK basis",
    ]


# ---------------------------------------------------------------- stores that hold part of the data


def test_a_briefing_of_population_only_leaves_out_sp_online_and_asn(population_only_db):
    with store.connect(population_only_db) as con:
        content = briefing.assemble(con, "99.01", date(2026, 11, 2))  # no dated series: any day
    assert content.keys == ("title", "indicators", "pyramid", "sources")
    assert (content.source, content.synthetic) == ("Penduduk dari berkas penduduk.csv (CSV)", False)
    assert content.stamp == "Kota Uji · 2 November 2026 · Data: Penduduk dari berkas penduduk.csv (CSV)"
    indicators = content.slide("indicators").data
    assert list(zip(indicators["indicator"], indicators["text"])) == [
        ("persons", "190"),
        ("sex_ratio", "128,9"),  # 100 × 107 / 83
        ("median_age", "20,8 tahun"),  # 20 + (95 - 42) / 70
        ("dependency_total", "46,2"),  # 100 × (42 + 18) / 130
        ("density", "19 jiwa/km²"),
    ]
    sources = content.slide("sources").data
    assert sources[["kind", "label"]].values.tolist() == [
        ["dataset", "Data"],
        ["definition", "Jumlah penduduk"],
        ["definition", "Rasio jenis kelamin"],
        ["definition", "Umur median"],
        ["definition", "Rasio ketergantungan"],
        ["definition", "Kepadatan penduduk"],
        ["privacy", "Kerahasiaan"],
    ]
    assert sources["text"].iloc[0] == f"Penduduk dari berkas penduduk.csv (CSV) (penduduk.csv, sha256 {'1' * 12}…)"
    html = briefing.to_html(content)
    assert re.findall(r'<section id="([a-z_]+)"', html) == list(content.keys)
    assert "Data sintetis" not in html


def test_a_briefing_of_an_area_without_sp_online_is_bounded_by_its_asn_days(tiny_db):
    with store.replacing(tiny_db) as con:
        con.execute("delete from online_progress where village_code = '99.01.02.1001'")
        store.refresh_rollups(con)
    with store.connect(tiny_db) as con:
        content = briefing.assemble(con, "99.01.02", date(2020, 3, 18))
        with pytest.raises(
            briefing.BriefingError,
            match=r"^no ASN progress for Timur \(99\.01\.02\) on 2020-03-02; the data covers 2020-03-17 to 2020-03-18$",
        ):
            briefing.assemble(con, "99.01.02", date(2020, 3, 2))
    assert content.keys == ("title", "indicators", "pyramid", "education", "asn_agencies", "sources")
    indicators = content.slide("indicators").data
    # Timur's 40 persons, then the civil servants of Kota Uji's agencies: 21 of 50 complete on 18 March.
    assert list(indicators["indicator"]) == [
        "persons",
        "sex_ratio",
        "median_age",
        "dependency_total",
        "density",
        "higher_education_share",
        "asn_rate",
    ]
    assert (indicators["text"].iloc[0], indicators["text"].iloc[-1]) == ("40", "42,0%")
    sources = content.slide("sources").data
    assert list(sources.loc[sources["kind"] == "target", "label"]) == ["Target ASN: 80,0%"]
    assert "timeline" not in set(sources["kind"])


def test_a_briefing_without_targets_leaves_out_what_is_measured_against_them(tiny_db):
    with store.replacing(tiny_db) as con:
        con.execute("delete from targets")
    with store.connect(tiny_db) as con:
        content = briefing.assemble(con, "99.01", date(2026, 11, 2))  # no series to set against: any day
    assert content.keys == ("title", "indicators", "pyramid", "education", "sources")
    assert "online_rate" not in set(content.slide("indicators").data["indicator"])


def test_a_briefing_refuses_an_area_with_nothing_to_present(tmp_path, capsys):
    db, _, _ = area_list.init_store(tmp_path / "bandung.duckdb", "32.73")
    message = (
        "nothing to present for Kota Bandung (32.73): the store holds no population, nor SP Online or ASN data "
        "with a target, for it; load some with `sensus ingest`"
    )
    with store.connect(db) as con, pytest.raises(briefing.BriefingError, match=f"^{re.escape(message)}$"):
        briefing.assemble(con, "32.73", RAKOR)
    out = tmp_path / "rakor.html"
    assert main(["briefing", "--db", str(db), "--area", "32.73", "--date", "2020-03-18", "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"error: {message}\n"
    assert not out.exists()


def test_cli_writes_the_briefing_of_population_only(population_only_db, tmp_path, capsys):
    out = tmp_path / "rakor.html"
    arguments = ["briefing", "--db", str(population_only_db), "--area", "99.01", "--date", "2026-11-02"]
    assert main([*arguments, "--out", str(out)]) == 0
    assert re.findall(r'<section id="([a-z_]+)"', out.read_text()) == ["title", "indicators", "pyramid", "sources"]
    assert "(4 slides," in capsys.readouterr().out


def test_city_briefing_on_the_rakor_day(city):
    assert city.keys == briefing.SLIDES
    assert city.slide("asn_agencies").headline == "Baru 30% ASN mengisi SP Online; target 80%"
    assert city.stamp_lines[0] == "Kota Kupang · 18 Maret 2020"
    assert city.stamp_lines[-1] == "Data sintetis — bukan hasil resmi SP2020"


def test_the_asn_slide_names_the_top_and_bottom_five_and_sums_the_rest(city, sample):
    agencies = run(sample, "asn_by_agency", area="53.71", date=RAKOR)
    shown = city.slide("asn_agencies").data
    middle = agencies.iloc[5:50]
    assert list(shown["short_name"]) == [*agencies["short_name"][:5], "45 OPD lainnya", *agencies["short_name"][50:]]
    rest = shown.iloc[5]
    assert (rest["employees"], rest["complete"]) == (middle["employees"].sum(), middle["complete"].sum())
    assert rest["rate"] == pytest.approx(middle["complete"].sum() / middle["employees"].sum())
    assert city.slide("asn_agencies").title == "ASN per OPD: 5 tertinggi dan 5 terendah dari 55"


def test_a_kecamatan_briefing_names_the_asn_figures_as_the_city_s(sample):
    alak = briefing.assemble(sample, "53.71.01", RAKOR)
    assert alak.slide("asn_agencies").title == (
        "ASN per OPD: 5 tertinggi dan 5 terendah dari 55 · angka Kota Kupang, bukan Alak saja"
    )
    cards = alak.slide("indicators").data.set_index("indicator")["label"]
    assert cards["asn_rate"] == "ASN selesai SP Online, angka Kota Kupang"
    assert cards["online_rate"] == "KK selesai SP Online"


def test_a_projected_chart_has_every_text_at_the_size_asked(city):
    chart = briefing.projected(briefing.figure(city, "online_trend"), height=600, text_size=33)
    layout = chart.layout
    assert (layout.height, layout.title.text) == (600, None)
    sizes = [layout.font.size, layout.legend.font.size, layout.xaxis.tickfont.size, layout.yaxis.tickfont.size]
    sizes += [annotation.font.size for annotation in layout.annotations]
    assert set(sizes) == {33}


def test_a_projected_bar_chart_names_every_bar_when_there_is_room(city):
    # 11 agencies of 25 px text need 11 x 25 = 275 px: a chart of 400 px has room (400 - 5 x 25 = 275), one
    # of 380 px does not and plotly may leave some names out, as for the 16 age groups (400 px) in 500 px.
    def dtick(key: str, height: int):
        return briefing.projected(briefing.figure(city, key), height=height, text_size=25).layout.yaxis.dtick

    assert (dtick("asn_agencies", 400), dtick("asn_agencies", 380), dtick("pyramid", 500)) == (1, None, None)


def test_a_projected_chart_keeps_its_value_ticks(city):
    # The pace chart's axis runs from 0 to 30.6%: ticks every 10% (0.306 / 4 = 0.077, rounded up), not 0% alone.
    axis = briefing.projected(briefing.figure(city, "online_trend"), height=420, text_size=25).layout.yaxis
    assert (axis.tickmode, axis.tick0, axis.dtick) == ("linear", 0, 0.1)


# ---------------------------------------------------------------- the offline HTML file


def test_html_embeds_plotly_once_and_references_no_other_address(city_html):
    library = get_plotlyjs()
    assert city_html.count(library) == 1
    own = city_html.replace(library, "")
    assert own.count("Plotly.newPlot(") == len(CHARTS)
    for pattern in (
        r"https?://",
        r"//cdn",
        r"""src\s*=\s*["']?[a-z]*:?//""",
        r"@import",
        r"url\(",
        r"<link\b",
        r"MathJax",
        r"<img\b",
    ):
        assert not re.search(pattern, own, re.IGNORECASE), pattern
    for key in CHARTS:
        assert f'id="chart-{key}"' in own
    assert re.findall(r'<section id="([a-z_]+)"', own) == list(briefing.SLIDES)
    assert "@page { size: A4" in own and "break-after: page" in own


def test_html_in_english(sample):
    html = briefing.to_html(briefing.assemble(sample, "53.71.06", RAKOR, "en"))
    assert '<html lang="en">' in html
    assert "<h1>Only 30% of civil servants have completed SP Online; target 80%</h1>" in html
    assert "Synthetic data — not official SP2020 results" in html


def test_cli_writes_the_briefing(sample_db, tmp_path, capsys):
    out = tmp_path / "rakor.html"
    assert main(["briefing", "--db", str(sample_db), "--area", "53.71", "--date", "2020-03-18", "--out", str(out)]) == 0
    assert "<h1>Baru 30% ASN mengisi SP Online; target 80%</h1>" in out.read_text()
    assert (
        main(
            [
                "briefing",
                "--db",
                str(sample_db),
                "--area",
                "53.71",
                "--date",
                "2020-06-01",
                "--out",
                str(tmp_path / "late.html"),
            ]
        )
        == 2
    )
    assert "the data covers 2020-02-15 to 2020-05-29" in capsys.readouterr().err
    assert [path.name for path in tmp_path.iterdir()] == ["rakor.html"]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_html_draws_every_chart_offline_and_prints_a_page_a_section(city_html, tmp_path):
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "rakor.html"
    page_file.write_text(city_html)
    requested = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 900, "height": 1000})
        page.on("request", lambda request: requested.append(request.url))
        page.goto(page_file.as_uri())
        page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {len(CHARTS)}")
        drawn = page.eval_on_selector_all(".js-plotly-plot", "plots => plots.map(plot => plot.id)")
        bars = page.eval_on_selector_all("#chart-asn_agencies .bars .point", "points => points.length")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "briefing.png"), full_page=True)
        page.emulate_media(media="print")
        # The smallest text on paper, in CSS px (0.75 pt each): its size times the zoom that fits its chart.
        printed = page.evaluate("""() => Math.min(...[...document.querySelectorAll('section *')]
            .filter(el => [...el.childNodes].some(node => node.nodeType === 3 && node.textContent.trim())
                          && el.getClientRects().length)
            .map(el => parseFloat(getComputedStyle(el).fontSize)
                       * parseFloat(getComputedStyle(el.closest('.chart') || el).zoom || 1)))""")
        pdf = page.pdf(format="A4", print_background=True)
        browser.close()
    assert drawn == [f"chart-{key}" for key in CHARTS]
    assert bars == 11  # the top and bottom 5 agencies and one bar for the other 45
    assert printed * 0.75 >= 9  # pt
    assert requested == [page_file.as_uri()]
    (ARTIFACTS / "briefing.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == len(briefing.SLIDES)


# ---------------------------------------------------------------- chart cards


def test_card_says_what_is_missing_without_a_browser(monkeypatch):
    from choreographer.browsers.chromium import Chromium

    monkeypatch.setattr(Chromium, "find_browser", classmethod(lambda cls, **kwargs: None))
    assert briefing.card_problem("en") == (
        "Chart cards (PNG) cannot be made here: the server has no Chrome or "
        "Chromium (apt-get install chromium, or point BROWSER_PATH at one)."
    )


@pytest.mark.skipif(briefing.card_problem("en") is not None, reason=str(briefing.card_problem("en")))
def test_card_is_a_png_of_the_chart_with_its_headline(city):
    png = briefing.card_png(city, "online_areas")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (briefing.CARD_WIDTH, briefing.CARD_HEIGHT)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "card_online_areas.png").write_bytes(png)
    with pytest.raises(KeyError, match="slide 'sources' has no chart"):
        briefing.card_png(city, "sources")
