"""The dashboard in a real browser (Chromium driven by Playwright) on the sample store.

A cold deep link gets the whole frame (the first test: its request is the server's first); every
page draws its charts with no exception and with the internet cut off; a filtered address reopens
the same view. Screenshots of every page are written to tests/artifacts/ (git-ignored). Skips,
saying why, without Chromium or Playwright.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import ARTIFACTS, BROWSER_WAIT_MS, OfflineTab
from PIL import Image

from queries import run
from sensus import store
from sensus.i18n import LANGUAGE_NAMES, indicator_metadata, level_label, t

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")

from app.ui import AREA_PARAMETERS, PAGES  # noqa: E402  (imports Streamlit: only once the browser is there)

PAGE_PATHS = [url_path for _, url_path, _ in PAGES]
PAGES_WITHOUT_CHARTS = {"data_metode", "presentasi"}  # the first slide of the presentation is text
DISTRICT = "Kota Lama"


class Visit(OfflineTab):
    """An offline tab on the dashboard's pages."""

    def __init__(self, browser, base: str, **context_options):
        super().__init__(browser, base, **({"viewport": {"width": 1400, "height": 1000}} | context_options))

    def open(self, path: str, *, title: str, charts: bool = True) -> None:
        self.page.goto(self.base + path)
        self.settle(title=title, charts=charts)

    def settle(self, *, title: str, charts: bool = True) -> None:
        """Wait until the script run is over: the title shown, no running indicator, and every
        chart container holding a drawn plotly chart, seen twice in a row half a second apart.
        With `charts`, a page must draw at least one chart within BROWSER_WAIT_MS, or the test fails."""
        self.page.get_by_text(title, exact=True).first.wait_for()
        state = """() => [
            document.querySelector('[data-testid="stStatusWidget"]')?.innerText ?? null,
            document.querySelectorAll('[data-stale="true"]').length,
            document.querySelectorAll('.js-plotly-plot').length,
            document.querySelectorAll('[data-testid="stPlotlyChart"]').length]"""
        steady, deadline = 0, time.monotonic() + BROWSER_WAIT_MS / 1000
        while steady < 2:
            status, stale, drawn, containers = self.page.evaluate(state)
            done = status is None and not stale and drawn == containers and (drawn > 0 or not charts)
            steady = steady + 1 if done else 0
            if time.monotonic() > deadline:
                self.screenshot("unsettled")
                pytest.fail(
                    f"{self.page.url} did not settle: status {status!r}, stale elements {stale}, "
                    f"{drawn} charts drawn of {containers}"
                )
            self.page.wait_for_timeout(500)

    def exceptions(self) -> list[str]:
        return self.page.locator('[data-testid="stException"]').all_inner_texts()

    def navigation(self) -> list[str]:
        links = self.page.locator('[data-testid="stSidebarNav"] a')
        return [link.inner_text().splitlines()[-1].strip() for link in links.all()]

    def area_select(self, level: str, lang: str):
        return self.page.get_by_test_id("stSidebar").get_by_role("combobox", name=level_label(level, lang), exact=True)

    def language_button(self, lang: str):
        return self.page.get_by_test_id("stSidebar").get_by_role("radio", name=LANGUAGE_NAMES[lang], exact=True)

    def screenshot(self, name: str) -> None:
        """The whole page: Streamlit scrolls inside its main area, so the window is made as tall
        as that area for the picture."""
        ARTIFACTS.mkdir(exist_ok=True)
        viewport = self.page.viewport_size
        height = self.page.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 0")
        self.page.set_viewport_size({"width": viewport["width"], "height": min(max(height, viewport["height"]), 8000)})
        self.page.wait_for_timeout(500)
        self.page.screenshot(path=ARTIFACTS / f"{name}.png")
        self.page.set_viewport_size(viewport)


@pytest.fixture
def visit(browser, server):
    tab = Visit(browser, server)
    yield tab
    tab.close()


def page_titles(lang: str) -> list[str]:
    return [t(f"page.{url_path}", lang) for url_path in PAGE_PATHS]


def title_on_page(url_path: str, lang: str, area: str) -> str:
    """The title a page shows: its name and the area, or the presentation's slide title."""
    if url_path == "presentasi":
        return t("rakor.slide.title", lang)
    return f"{t(f'page.{url_path}', lang)} · {area}"


def test_a_deep_link_as_the_first_request_gets_the_frame(visit):
    visit.open(
        f"/sp_online?{AREA_PARAMETERS['district']}={DISTRICT.replace(' ', '+')}",
        title=title_on_page("sp_online", "id", DISTRICT),
        charts=True,
    )
    assert visit.navigation() == page_titles("id")
    assert visit.page.get_by_role("dialog").all_inner_texts() == []  # no "Page not found" over the page
    assert visit.area_select("district", "id").input_value() == DISTRICT
    assert visit.exceptions() == []
    assert visit.outside == []
    visit.screenshot("first-request-sp-online")


@pytest.mark.parametrize("url_path", PAGE_PATHS)
def test_every_page_draws_offline_without_an_exception(visit, url_path):
    visit.open(
        "/" if url_path == PAGE_PATHS[0] else f"/{url_path}",
        title=title_on_page(url_path, "id", "Kota Kupang"),
        charts=url_path not in PAGES_WITHOUT_CHARTS,
    )
    assert visit.exceptions() == []
    assert visit.outside == []
    visit.screenshot(url_path)


def test_a_filtered_address_reopens_the_same_view(visit, browser, server):
    visit.open("/penduduk", title=title_on_page("penduduk", "id", "Kota Kupang"))
    visit.area_select("district", "id").click()
    visit.page.get_by_role("option", name=DISTRICT, exact=True).click()
    visit.settle(title=title_on_page("penduduk", "id", DISTRICT))
    visit.language_button("en").click()
    visit.settle(title=title_on_page("penduduk", "en", DISTRICT))
    address = visit.page.url

    again = Visit(browser, server)
    try:
        again.open(address.removeprefix(server), title=title_on_page("penduduk", "en", DISTRICT))
        assert again.area_select("district", "en").input_value() == DISTRICT
        assert again.language_button("en").get_attribute("aria-checked") == "true"
        assert again.navigation() == page_titles("en")
        assert again.exceptions() == []
        again.screenshot("filtered-penduduk-kota-lama-en")
    finally:
        again.close()


def test_the_language_stays_when_another_page_opens(visit):
    visit.open("/ringkasan?lang=EN", title=title_on_page("ringkasan", "en", "Kota Kupang"))
    visit.page.get_by_test_id("stSidebarNav").get_by_role("link", name=t("page.penduduk", "en")).click()
    visit.settle(title=title_on_page("penduduk", "en", "Kota Kupang"))
    assert "lang=EN" in visit.page.url and visit.navigation() == page_titles("en")


def test_the_first_page_has_its_own_address(visit):
    visit.open("/ringkasan", title=title_on_page("ringkasan", "id", "Kota Kupang"))
    assert visit.page.get_by_role("dialog").all_inner_texts() == []  # no "Page not found"
    assert visit.exceptions() == []


def test_going_up_and_back_shows_the_area_chosen_not_the_one_before(visit):
    visit.open("/penduduk", title=title_on_page("penduduk", "id", "Kota Kupang"))

    def choose(level: str, option: str, area: str) -> None:
        visit.area_select(level, "id").click()
        visit.page.get_by_role("option", name=option, exact=True).click()
        visit.settle(title=title_on_page("penduduk", "id", area))

    choose("district", DISTRICT, DISTRICT)
    choose("village", "Oeba", "Oeba")
    choose("district", t("filter.all", "id", levels="kecamatan"), "Kota Kupang")
    choose("district", DISTRICT, DISTRICT)
    assert visit.area_select("village", "id").input_value() == t("filter.all", "id", levels="kelurahan/desa")


def test_a_chart_s_data_is_sent_when_its_block_opens(visit):
    visit.open("/pendidikan", title=title_on_page("pendidikan", "id", "Kota Kupang"))
    block = visit.page.get_by_test_id("stExpander").filter(has_text=t("data.show", "id")).first
    assert block.get_by_test_id("stDataFrame").count() == 0
    block.get_by_text(t("data.show", "id")).click()
    block.get_by_test_id("stDataFrame").wait_for()
    visit.settle(title=title_on_page("pendidikan", "id", "Kota Kupang"))
    downloads = block.get_by_test_id("stDownloadButton")
    assert [downloads.filter(has_text=t(f"data.{kind}", "id")).count() for kind in ("csv", "xlsx")] == [1, 1]
    assert visit.exceptions() == []


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
}


@pytest.mark.parametrize("url_path", ["pendidikan", "sp_online"])
def test_on_a_phone_charts_have_no_toolbar_and_whole_titles_under_a_one_line_notice(browser, server, url_path):
    phone = Visit(browser, server, **PHONE)
    try:
        phone.open(f"/{url_path}?kecamatan={DISTRICT.replace(' ', '+')}", title=title_on_page(url_path, "id", DISTRICT))
        assert phone.page.locator(".modebar").count() == 0
        # Each title line within its chart, left to right and top to bottom.
        outside = phone.page.evaluate(
            """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(chart => {
                const frame = chart.querySelector('.main-svg').getBoundingClientRect();
                return [...chart.querySelectorAll('.gtitle, .gtitle-subtitle')]
                    .map(title => title.getBoundingClientRect())
                    .filter(box => box.top < frame.top || box.left < frame.left - 1 || box.right > frame.right + 1)
                    .map(box => [box.top - frame.top, box.left - frame.left, box.right - frame.right]);
            })"""
        )
        assert outside == []
        notice = phone.page.get_by_test_id("stExpander").first.bounding_box()
        assert notice["height"] < 60  # one line
        ARTIFACTS.mkdir(exist_ok=True)
        phone.page.screenshot(path=ARTIFACTS / f"phone-{url_path}.png")  # the first screen
    finally:
        phone.close()


# Every text a chart draws, as the quadrilateral its glyphs cover on the screen (rotated tick labels
# too), and the pairs of them that cover one another by more than a pixel each way.
OVERLAPS = """() => {
    const corners = text => {
        const box = text.getBBox(), matrix = text.getScreenCTM();
        return [[box.x, box.y], [box.x + box.width, box.y], [box.x + box.width, box.y + box.height],
                [box.x, box.y + box.height]].map(([x, y]) => [matrix.a * x + matrix.c * y + matrix.e,
                                                             matrix.b * x + matrix.d * y + matrix.f]);
    };
    const shrunk = quad => {  // a pixel in from each side: touching is not covering
        const [cx, cy] = [quad.reduce((s, p) => s + p[0], 0) / 4, quad.reduce((s, p) => s + p[1], 0) / 4];
        return quad.map(([x, y]) => { const d = Math.hypot(x - cx, y - cy) || 1;
                                      return [x - (x - cx) / d, y - (y - cy) / d]; });
    };
    const apart = (p, q) => [p, q].some(quad => quad.some((a, i) => {
        const b = quad[(i + 1) % 4], axis = [a[1] - b[1], b[0] - a[0]];
        const side = points => points.map(([x, y]) => x * axis[0] + y * axis[1]);
        const [sp, sq] = [side(p), side(q)];
        return Math.max(...sp) <= Math.min(...sq) || Math.max(...sq) <= Math.min(...sp);
    }));
    return [...document.querySelectorAll('.js-plotly-plot')].flatMap((chart, index) => {
        const texts = [...chart.querySelectorAll('text')].filter(text =>
            text.textContent.trim() && text.getBoundingClientRect().width > 0
            && getComputedStyle(text).visibility !== 'hidden' && getComputedStyle(text).opacity !== '0');
        const quads = texts.map(text => shrunk(corners(text)));
        const pairs = [];
        for (let i = 0; i < texts.length; i++)
            for (let j = i + 1; j < texts.length; j++)
                if (!apart(quads[i], quads[j])) pairs.push([index, texts[i].textContent, texts[j].textContent]);
        return pairs;
    });
}"""
SCREENS = {
    "1440x900": {"viewport": {"width": 1440, "height": 900}},
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}},
    "1024x768": {"viewport": {"width": 1024, "height": 768}},
    "390x844": PHONE,
}
CHARTED = ["ringkasan", "penduduk", "pendidikan", "sp_online", "asn", "bandingkan"]


@pytest.mark.parametrize("screen", SCREENS)
def test_no_text_on_a_chart_covers_another(browser, server, screen):
    tab = Visit(browser, server, **SCREENS[screen])
    try:
        covered = {}
        for url_path, area in [(url_path, "") for url_path in CHARTED] + [("ringkasan", DISTRICT)]:
            where = f"?kecamatan={area.replace(' ', '+')}" if area else ""
            tab.open(f"/{url_path}{where}", title=title_on_page(url_path, "id", area or "Kota Kupang"))
            pairs = tab.page.evaluate(OVERLAPS)
            if pairs:
                covered[f"{url_path}{where}"] = pairs
                tab.screenshot(f"covered-{screen}-{url_path}")
        assert covered == {}
    finally:
        tab.close()


def column_centres(grid) -> list[float]:
    """The x of each column's middle in a data grid, from the lines its canvas draws between the columns
    just under the header's text."""
    box = grid.bounding_box()
    strip = Image.open(io.BytesIO(grid.page.screenshot(clip={**box, "height": 35}))).convert("L")
    row = [strip.getpixel((x, strip.height - 2)) for x in range(strip.width)]
    background = max(set(row), key=row.count)
    lines = [x for x in range(1, strip.width - 1) if row[x] < background - 8]
    edges = [0, *lines, strip.width - 1]
    return [box["x"] + (left + right) / 2 for left, right in zip(edges, edges[1:]) if right - left > 4]


def grid_rows(grid) -> list[list[str]]:
    """The cells of a data grid as its accessible table holds them (the canvas draws them)."""
    return grid.evaluate(
        "grid => [...grid.querySelectorAll('table tr')].map(row => "
        "[...row.querySelectorAll('th, td')].map(cell => cell.textContent))"
    )


def test_sorting_a_table_by_population_orders_it_by_value(visit):
    visit.open("/ringkasan", title=title_on_page("ringkasan", "id", "Kota Kupang"))
    grid = visit.page.get_by_test_id("stDataFrame").last
    grid.scroll_into_view_if_needed()
    header, *rows = grid_rows(grid)
    column = header.index(indicator_metadata("persons", "id")["name"])  # "Jumlah penduduk"
    centres = column_centres(grid)
    assert len(centres) == len(header)
    visit.page.mouse.click(centres[column], grid.bounding_box()["y"] + 17)
    visit.page.wait_for_timeout(1000)
    _, *sorted_rows = grid_rows(grid)
    counts = [float(row[column]) for row in sorted_rows]
    assert sorted(counts) == [float(row[column]) for row in sorted(rows, key=lambda row: float(row[column]))]
    assert counts in (sorted(counts), sorted(counts, reverse=True)) and counts != sorted(counts, key=str)


def test_a_downloaded_workbook_holds_numbers_as_numbers(visit, tmp_path, sample_db, monkeypatch):
    visit.open("/penduduk", title=title_on_page("penduduk", "id", "Kota Kupang"))
    block = visit.page.get_by_test_id("stExpander").filter(has_text=t("data.show", "id")).first
    block.get_by_text(t("data.show", "id")).click()
    block.get_by_test_id("stDataFrame").wait_for()
    with visit.page.expect_download() as download:
        block.get_by_test_id("stDownloadButton").filter(has_text=t("data.xlsx", "id")).click()
    download.value.save_as(tmp_path / download.value.suggested_filename)
    sheet = openpyxl.load_workbook(tmp_path / download.value.suggested_filename).active
    rows = [[cell for cell in row] for row in sheet.iter_rows() if any(cell.value is not None for cell in row)]
    header = next(index for index, row in enumerate(rows) if row[0].value == t("col.age_group", "id"))
    table = rows[header + 1 :]  # age group, sex, persons, share: 16 age groups by 2 sexes
    monkeypatch.setenv("SENSUS_PROTECTION", "on")  # as the server publishes them
    with store.connect(sample_db) as con:
        published = run(con, "population_pyramid", area="53.71")
    assert len(table) == 32 and all(isinstance(row[2].value, int) for row in table)
    assert sorted(row[2].value for row in table) == sorted(published["persons"].tolist())
    assert all(isinstance(row[3].value, float) and row[3].number_format.endswith("%") for row in table)
