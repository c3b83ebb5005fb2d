"""Presentation mode in a real browser (Chromium driven by Playwright) on the sample store: every
slide fits the projector's screen (1024x768, 1366x768, 1920x1080) above its control bar, with chart
text at least 3% of the screen height; the arrow keys move between slides and kecamatan, the
address reopens the same slide, and nothing is fetched from outside. Screenshots go to
tests/artifacts/ (git-ignored). Skips, saying why, without Chromium or Playwright (the `server` and
`browser` fixtures are in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import ARTIFACTS, OfflineTab

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")


class Presenter(OfflineTab):
    """A browser tab on presentation mode, with every request outside the dashboard refused."""

    def __init__(self, browser, base: str, width: int = 1600, height: int = 1000):
        super().__init__(browser, base, viewport={"width": width, "height": height}, locale="id-ID")

    def open(self, address: str) -> None:
        self.page.goto(address if address.startswith("http") else self.base + address)
        self.page.wait_for_selector(".rakor-headline")
        self.settle()

    def settle(self) -> None:
        """Wait until the script run is over: no running indicator and no stale element."""
        self.page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')
                                           && !document.querySelector('[data-stale="true"]')""")

    def press(self, key: str, then_kicker: str) -> None:
        """Press a key (with the focus on the page, not in a field) and wait for the next slide."""
        self.page.locator(".rakor-kicker").click()
        self.page.keyboard.press(key)
        self.page.wait_for_function(
            "kicker => document.querySelector('.rakor-kicker')?.innerText === kicker", arg=then_kicker
        )
        self.settle()

    def kicker(self) -> str:
        return self.page.locator(".rakor-kicker").inner_text()

    def headline(self) -> str:
        return self.page.locator(".rakor-headline").inner_text()

    def address(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(urlparse(self.page.url).query).items()}

    def charts(self) -> int:
        self.page.wait_for_selector(".js-plotly-plot .main-svg")
        return self.page.locator(".js-plotly-plot").count()

    def measure(self) -> dict:
        """Where the slide ends and the control bar begins, the page's height, the smallest chart
        text and the bar's right end, in CSS px."""
        return self.page.evaluate("""() => {
            const slide = [...document.querySelectorAll(`.rakor-kicker, .rakor-area, .rakor-headline, .rakor-note,
                .rakor-stamp, .rakor-sources, .js-plotly-plot, [data-testid="stMetric"]`)];
            const bar = document.querySelector('.st-key-rakor-bar');
            const controls = [...bar.querySelectorAll('button, input, a')].filter(el => el.getClientRects().length);
            const texts = [...document.querySelectorAll('.js-plotly-plot text')]
                .filter(text => text.textContent.trim() && text.getBoundingClientRect().height > 0);
            return {
                slide_bottom: Math.max(...slide.map(el => el.getBoundingClientRect().bottom)),
                bar_top: bar.getBoundingClientRect().top,
                bar_bottom: bar.getBoundingClientRect().bottom,
                controls_right: Math.max(...controls.map(el => el.getBoundingClientRect().right)),
                page_height: document.documentElement.scrollHeight,
                chart_text: texts.length
                    ? Math.min(...texts.map(text => parseFloat(getComputedStyle(text).fontSize))) : null,
            };
        }""")

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=ARTIFACTS / f"{name}.png")


SCREENS = [(1024, 768), (1366, 768), (1920, 1080)]
SLIDES = 9  # the sample's briefing on the rakor day has every slide
CHART_SLIDES = {3, 4, 5, 6, 7, 8}


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_every_slide_fits_the_screen_above_the_control_bar(browser, server, width, height):
    tab = Presenter(browser, server, width, height)
    misfits = []
    try:
        for number, area in [(number, "") for number in range(1, SLIDES + 1)] + [(7, "&kecamatan=Kota+Lama")]:
            tab.open(f"/presentasi?tanggal=2020-03-18&slide={number}{area}")
            if number in CHART_SLIDES:  # drawn again once the browser has said how large its window is
                drawn_large = """least => [...document.querySelectorAll('.js-plotly-plot .xtick text')]
                                  .some(text => parseFloat(getComputedStyle(text).fontSize) >= least)"""
                tab.page.wait_for_function(drawn_large, arg=0.03 * height)
                tab.settle()
                tab.page.wait_for_function(drawn_large, arg=0.03 * height)  # and drawn still, once settled
            seen = tab.measure()
            tab.screenshot(f"presentation-{width}x{height}-{number}{'-kota-lama' if area else ''}")
            fits = (
                seen["slide_bottom"] <= seen["bar_top"]
                and seen["bar_bottom"] <= height
                and seen["controls_right"] <= width
                and seen["page_height"] <= height
                and (number not in CHART_SLIDES or seen["chart_text"] >= 0.03 * height)
            )
            if not fits:
                misfits.append((number, area, seen))
    finally:
        tab.close()
    assert misfits == []


@pytest.fixture
def presenter(browser, server):
    tab = Presenter(browser, server)
    yield tab
    tab.close()


def test_arrow_keys_move_between_slides_and_the_address_reopens_the_slide(presenter, browser, server):
    presenter.open("/presentasi?tanggal=2020-03-18")
    assert (presenter.kicker(), presenter.headline()) == ("Rapat koordinasi SP2020", "Keadaan 18 Maret 2020")
    assert presenter.page.locator('[data-testid="stSidebar"]').is_hidden()
    presenter.screenshot("presentation-title")

    presenter.press("ArrowRight", then_kicker="Indikator utama, Kota Kupang")
    presenter.press("ArrowRight", then_kicker="Piramida penduduk, Kota Kupang")
    assert presenter.headline() == "Separuh penduduk berumur di bawah 25,9 tahun"
    assert presenter.charts() == 1
    for kicker in (
        "Pendidikan tertinggi, umur 5+, Kota Kupang",
        "SP Online per wilayah, Kota Kupang",
        "Laju SP Online, Kota Kupang",
        "ASN per OPD: 5 tertinggi dan 5 terendah dari 55",
    ):
        presenter.press("ArrowRight", then_kicker=kicker)
    assert presenter.headline() == "Baru 30% ASN mengisi SP Online; target 80%"
    assert presenter.address()["slide"] == "7"
    presenter.screenshot("presentation-asn")
    presenter.press("ArrowLeft", then_kicker="Laju SP Online, Kota Kupang")
    assert presenter.address()["slide"] == "6"
    presenter.screenshot("presentation-trend")

    shared = presenter.page.url
    other = Presenter(browser, server)
    try:
        other.open(shared)
        assert (other.kicker(), other.headline()) == (
            "Laju SP Online, Kota Kupang",
            "Perlu 1.309 KK selesai per hari sampai 31 Maret 2020; 7 hari terakhir 111 per hari",
        )
        assert other.charts() == 1
    finally:
        other.close()
    assert presenter.outside == []


def test_up_and_down_step_through_the_kecamatan(presenter):
    presenter.open("/presentasi?tanggal=2020-03-18&slide=2")
    presenter.press("ArrowDown", then_kicker="Indikator utama, Alak")
    presenter.press("ArrowDown", then_kicker="Indikator utama, Maulafa")
    assert presenter.address() == {"tanggal": "2020-03-18", "slide": "2", "kecamatan": "Maulafa"}
    presenter.press("ArrowUp", then_kicker="Indikator utama, Alak")
    presenter.press("ArrowUp", then_kicker="Indikator utama, Kota Kupang")
    presenter.press("ArrowUp", then_kicker="Indikator utama, Kota Lama")
    assert presenter.headline() == "37.049 penduduk, 11.506 per km²"
    presenter.screenshot("presentation-kota-lama")


def test_the_deck_and_the_briefing_download_from_the_slide(presenter, tmp_path):
    from pptx import Presentation

    presenter.open("/presentasi?tanggal=2020-03-18&slide=7")
    presenter.page.get_by_role("button", name="Unduh", exact=True).click()  # the bar's download menu
    deck_button = presenter.page.get_by_role("button", name="Unduh PowerPoint")
    deck_button.wait_for(state="visible")  # made once the menu has opened
    with presenter.page.expect_download() as deck_download:
        deck_button.click()
    deck = tmp_path / deck_download.value.suggested_filename
    deck_download.value.save_as(deck)
    assert deck.name == "rakor-53.71-2020-03-18-id.pptx"
    slides = Presentation(str(deck)).slides
    assert len(slides) == 9
    asn = next(shape.chart for shape in slides[6].shapes if shape.has_chart)
    assert len(asn.plots[0].categories) == 11  # the top and bottom 5 agencies (OPD) and the other 45

    presenter.open("/presentasi?tanggal=2020-03-18&slide=7")  # the menu afresh: a download may have closed it
    presenter.page.get_by_role("button", name="Unduh", exact=True).click()
    briefing = presenter.page.get_by_role("button", name="Unduh briefing offline (HTML)")
    briefing.wait_for(state="visible")  # made once the menu has opened
    with presenter.page.expect_download() as briefing_download:
        briefing.click()
    assert briefing_download.value.suggested_filename == "rakor-53.71-2020-03-18-id.html"
    assert "<h1>Baru 30% ASN mengisi SP Online; target 80%</h1>" in Path(briefing_download.value.path()).read_text()
