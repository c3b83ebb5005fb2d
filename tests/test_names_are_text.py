"""Names from users' files (areas, agencies, the file a dataset came from) are shown as written:
never as a link, an image or HTML, whether in markdown on the pages, in plotly's labels or in the
offline briefing."""

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from conftest import build_tiny_store
from streamlit.testing.v1 import AppTest

from sensus import briefing, charts, formatting, geo, store

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
ANCHOR = '<a href="https://evil.example">x</a>'
LINK = "[klik](https://evil.example)"
IMAGE = "![x](https://evil.example/x.png)"
SOURCE = "[Laporan resmi BPS](https:evil.example).csv"
# As markdown must read them to show them as written: every mark that could start markup escaped.
ANCHOR_MARKDOWN = r"\<a href\=\"https\://evil.example\"\>x\</a\>"
LINK_MARKDOWN = r"\[klik\]\(https\://evil.example\)"
IMAGE_MARKDOWN = r"\!\[x\]\(https\://evil.example/x.png\)"
SOURCE_MARKDOWN = r"\[Laporan resmi BPS\]\(https\:evil.example\)\.csv"
ANCHOR_CHART = '&lt;a href="https://evil.example"&gt;x&lt;/a&gt;'
# Markup that would work: a link or image not escaped, an HTML tag not escaped.
UNESCAPED = re.compile(r"(?<!\\)\]\(|(?<!\\)<a")


@pytest.fixture
def hostile_db(tmp_path, monkeypatch):
    """The tiny store with the city named by an HTML anchor, its kecamatan by a markdown link and an
    image, an agency by an anchor, and every dataset's source file by a markdown link."""
    path = tmp_path / "hostile.duckdb"
    build_tiny_store(path)
    with store.replacing(path) as con:
        con.execute("update areas set name = ? where code = '99.01'", [ANCHOR])
        con.execute("update areas set name = ? where code = '99.01.01'", [LINK])
        con.execute("update areas set name = ? where code = '99.01.02'", [IMAGE])
        con.execute("update agencies set name = ?, short_name = ? where code = 'A1'", [ANCHOR, ANCHOR])
        con.execute("update datasets set source_file = ?", [SOURCE])
        store.refresh_rollups(con)
    monkeypatch.setenv("SENSUS_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


def test_plain_escapes_markdown_and_keeps_one_line():
    assert formatting.plain(LINK) == LINK_MARKDOWN
    assert formatting.plain(IMAGE) == IMAGE_MARKDOWN
    assert formatting.plain(ANCHOR) == ANCHOR_MARKDOWN
    assert formatting.plain("- 1. **_Kota_** `x` $y$ :red[z] #5 a|b ~c~ + {d}") == (
        r"\- 1\. \*\*\_Kota\_\*\* \`x\` \$y\$ \:red\[z\] \#5 a\|b \~c\~ \+ \{d\}"
    )
    assert formatting.plain("www.evil.example, WWW.evil.example, a@evil.example") == (
        r"www\.evil.example\, WWW\.evil.example\, a\@evil.example"
    )
    assert formatting.plain("Kota\x0bLama\n\u2028Baru\\") == "Kota Lama Baru\\\\"
    assert formatting.plain("data/calibration_5371.csv") == "data/calibration_5371.csv"
    assert formatting.plain("Kota Lama") == "Kota Lama"


def test_chart_text_escapes_plotly_html():
    assert formatting.chart_text(ANCHOR) == ANCHOR_CHART
    assert formatting.chart_text("A & B <br>") == "A &amp; B &lt;br&gt;"


def markdown_texts(app: AppTest) -> list[str]:
    """The markdown source of every element that renders markdown, with the cards' and widgets' labels."""
    elements = [*app.title, *app.subheader, *app.caption, *app.markdown, *app.info, *app.warning]
    elements += [*app.success, *app.error]
    return [element.value for element in elements] + [metric.label for metric in app.metric]


def strings(value) -> list[str]:
    """Every string in a figure's JSON structure."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in strings(item)]


def plotly_texts(app: AppTest) -> str:
    """The texts of the figures the page sends to the browser."""
    return "\n".join(text for element in app.get("plotly_chart") for text in strings(json.loads(element.proto.spec)))


# The page, and a name as its charts show it: the city or an agency escaped; a kecamatan's markdown
# link is no markup to plotly, and is shown as written.
@pytest.mark.parametrize(
    ("page", "charted"),
    [
        ("pages/ringkasan.py", LINK),
        ("pages/penduduk.py", ANCHOR_CHART),
        ("pages/sp_online.py", ANCHOR_CHART),
        ("pages/asn.py", ANCHOR_CHART),
    ],
)
def test_pages_show_names_as_written(page, charted, hostile_db):
    app = AppTest.from_file(DASHBOARD, default_timeout=60)
    app.run()
    app.switch_page(page).run()
    assert not app.exception, [error.value for error in app.exception]
    texts = markdown_texts(app)
    assert app.title[0].value.endswith(f" · {ANCHOR_MARKDOWN}")
    assert app.caption[0].value == f"{ANCHOR_MARKDOWN} (99.01)"
    assert any(SOURCE_MARKDOWN in text for text in texts)
    assert [text for text in texts if UNESCAPED.search(text)] == []
    drawn = plotly_texts(app)
    assert charted in drawn and "<a " not in drawn


def test_ringkasan_names_the_kecamatan_as_written(hostile_db):
    app = AppTest.from_file(DASHBOARD, default_timeout=60)
    app.run()
    comparisons = next(text.value for text in app.markdown if text.value.startswith("- ")).splitlines()
    assert len(comparisons) == 3
    assert all(f"{IMAGE_MARKDOWN} " in line and f" {ANCHOR_MARKDOWN} (" in line for line in comparisons)


def figure_texts(figure) -> str:
    return "\n".join(strings(json.loads(figure.to_json())))


def test_charts_escape_names_where_they_enter():
    on = date(2020, 3, 2)
    by_area = pd.DataFrame(
        {"name": [ANCHOR, LINK], "rate": [0.5, 0.2], "target": [0.5, 0.5], "base": [100, 200]}
    ).assign(submitted=[60, 50], complete=[50, 40])
    figures = [
        charts.online_by_area(by_area, "id", level="village", on=on),
        charts.submitted_vs_complete(by_area, "id", level="village", on=on),
        charts.asn_by_agency(
            by_area.assign(short_name=[ANCHOR, "D2"], employees=[10, 40], complete=[5, 8]), "en", on=on
        ),
        charts.compare_online(
            pd.DataFrame({"name": [ANCHOR, LINK], "date": [on, on], "rate": [0.5, 0.2], "target": [0.5, 0.5]}),
            "id",
            deadlines={"original": date(2020, 3, 31), "extended": date(2020, 5, 29)},
        ),
    ]
    for figure in figures:
        text = figure_texts(figure)
        assert "<a " not in text and ANCHOR_CHART in text
    online = figures[0]
    assert list(online.data[0].y) + list(online.data[1].y) == [ANCHOR_CHART, LINK]
    assert online.layout.yaxis.categoryarray == (LINK, ANCHOR_CHART)


def test_map_labels_escape_names():
    areas = pd.DataFrame(
        {
            "code": ["99.01.01", "99.01.02"],
            "name": [ANCHOR, "Timur"],
            "bps_code": ["9901010", "9901020"],
            "lat": [-10.0, -10.1],
            "lon": [123.0, 123.1],
            "persons": [100, 50],
        }
    )
    figure = geo.map_figure(areas, "persons", "id", None, title=ANCHOR)
    assert figure.data[0].customdata[0][0] == ANCHOR_CHART
    assert figure.layout.title.text == ANCHOR_CHART
    assert "<a " not in figure_texts(figure)


def test_the_briefing_html_holds_no_link_from_a_name(hostile_db):
    with store.connect(hostile_db) as con:
        content = briefing.assemble(con, "99.01", date(2020, 3, 2), "id")
    html = briefing.to_html(content)
    assert '<a href="https://evil' not in html and '<a href=\\"https://evil' not in html
    assert "&lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt;" in html  # the title slide's heading
    # in a chart's subtitle, as plotly's JSON writes it
    assert '"text":"&lt;a href=\\"https:\\u002f\\u002fevil.example\\"&gt;x&lt;\\u002fa&gt;"' in html


LONG = "Kelurahan" + "Panjang" * 700  # 4,909 characters without a space, as a hostile file may name an area
LONG_LABEL = LONG[:47] + "…"


def test_a_long_name_is_shortened_to_the_limit_with_an_ellipsis():
    assert formatting.shortened(LONG) == LONG_LABEL and len(LONG_LABEL) == formatting.NAME_LIMIT
    assert formatting.shortened("Kota Lama") == "Kota Lama"
    assert formatting.shortened("x" * formatting.NAME_LIMIT) == "x" * formatting.NAME_LIMIT


def test_charts_label_long_names_shortened_and_keep_them_whole_on_hover():
    on = date(2020, 3, 2)
    twins = [LONG + " Barat", LONG + " Timur"]  # the same label once shortened: still two bars
    by_area = pd.DataFrame({"name": twins, "rate": [0.5, 0.2], "target": [0.5, 0.5], "base": [100, 200]})
    for figure in (
        charts.online_by_area(by_area, "id", level="village", on=on),
        charts.submitted_vs_complete(
            by_area.assign(submitted=[60, 50], complete=[50, 40]), "id", level="village", on=on
        ),
    ):
        assert list(figure.layout.yaxis.ticktext) == [LONG_LABEL, LONG_LABEL]
        assert sorted(figure.layout.yaxis.tickvals) == twins
        assert {y for trace in figure.data if trace.type == "bar" for y in trace.y} == set(twins)


def test_a_long_area_name_is_shortened_in_headings_and_slides_and_whole_on_hover(hostile_db):
    with store.replacing(hostile_db) as con:
        con.execute("update areas set name = ? where code = '99.01'", [LONG])
    app = AppTest.from_file(DASHBOARD, default_timeout=60)
    app.run()
    app.switch_page("pages/penduduk.py").run()
    assert not app.exception, [error.value for error in app.exception]
    assert app.title[0].value.endswith(f" · {LONG_LABEL}") and app.title[0].help == LONG
    assert app.caption[0].value == f"{LONG_LABEL} (99.01)"
    assert LONG not in plotly_texts(app)
    with store.connect(hostile_db) as con:
        content = briefing.assemble(con, "99.01", date(2020, 3, 2), "id")
    assert content.name == LONG_LABEL and all(LONG not in slide.title for slide in content.slides)
