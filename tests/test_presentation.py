"""Presentation mode through AppTest on the calibrated sample: it opens on the slide and date of
the address, steps through the slides and the kecamatan, switches language, draws the core's
numbers, and says what is missing when chart cards cannot be made."""

import base64
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sensus import briefing, store

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGE = "pages/presentasi.py"
RAKOR = date(2020, 3, 18)


@pytest.fixture(autouse=True)
def sample_store(sample_db, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(sample_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def dashboard(page: str, **query_params) -> AppTest:
    """The dashboard switched to `page` with the address's parameters, after its first run."""
    app = AppTest.from_file(DASHBOARD, default_timeout=60)
    app.query_params.update(query_params)
    app.run()
    app.switch_page(page).run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def shown(app) -> tuple[str, str]:
    """The slide's kicker and headline."""
    body = app.get("html")[0].proto.body
    return (
        re.search(r'class="rakor-kicker">([^<]*)<', body).group(1),
        re.search(r'class="rakor-headline">([^<]*)<', body).group(1),
    )


def chart_values(app, trace: int) -> tuple[list, list]:
    """The categories and values of one trace of the slide's chart."""
    data = json.loads(app.get("plotly_chart")[0].proto.spec)["data"][trace]

    def decoded(values):
        return (
            np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"]).tolist()
            if isinstance(values, dict)
            else values
        )

    return decoded(data["y"]), decoded(data["x"])


def downloads_open(app: AppTest) -> AppTest:
    """The page run again with its download menu open, as a presenter opens it."""
    app.session_state["rakor-downloads"] = True
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def test_opens_on_the_slide_and_date_of_the_address():
    app = dashboard(PAGE, tanggal="2020-03-18", slide="7")
    assert shown(app) == (
        "ASN per OPD: 5 tertinggi dan 5 terendah dari 55",
        "Baru 30% ASN mengisi SP Online; target 80%",
    )
    assert app.date_input(key="tanggal").value == RAKOR
    assert not app.download_button  # made only when the download menu opens
    assert [button.label for button in downloads_open(app).download_button] == [
        "Unduh PowerPoint",
        "Unduh briefing offline (HTML)",
        "Unduh kartu grafik (PNG)",
    ]


def test_next_and_previous_step_through_every_slide(sample_db):
    with store.connect(sample_db) as con:
        slides = briefing.assemble(con, "53.71", RAKOR).slides
    app = dashboard(PAGE, tanggal="2020-03-18")
    seen = [shown(app)]
    assert app.button(key="previous").disabled
    for _ in slides[1:]:
        app.button(key="next").click().run()
        seen.append(shown(app))
    assert seen == [(slide.title, slide.headline) for slide in slides]
    assert app.button(key="next").disabled
    app.button(key="previous").click().run()
    assert shown(app) == (slides[-2].title, slides[-2].headline)


def test_the_chart_draws_each_kecamatan_s_completion(sample_db):
    app = dashboard(PAGE, tanggal="2020-03-18", slide="5")
    with store.connect(sample_db) as con:
        progress = con.execute("from online_progress where date = $day", {"day": RAKOR}).df()
        district_names = dict(con.execute("select code, name from areas where level = 'district'").fetchall())
    # Each kecamatan's households complete over its base, summed over its kelurahan.
    by_district = progress.groupby(progress["village_code"].str[:8])[["households_complete", "households_base"]].sum()
    by_name = dict(
        zip(by_district.index.map(district_names), by_district["households_complete"] / by_district["households_base"])
    )
    names, rates = chart_values(app, trace=1)  # trace 0: areas at target (none yet), 1: below it
    assert sorted(names) == sorted(by_name)
    assert rates == [by_name[name] for name in names]


def test_next_area_steps_through_the_kecamatan_and_back_to_the_city():
    app = dashboard(PAGE, tanggal="2020-03-18", slide="2")
    kickers = [shown(app)[0]]
    for _ in range(7):
        app.button(key="next-area").click().run()
        kickers.append(shown(app)[0])
    assert kickers == [
        f"Indikator utama, {name}"
        for name in ["Kota Kupang", "Alak", "Maulafa", "Kelapa Lima", "Oebobo", "Kota Raja", "Kota Lama", "Kota Kupang"]
    ]
    app.button(key="previous-area").click().run()
    assert shown(app) == ("Indikator utama, Kota Lama", "37.049 penduduk, 11.506 per km²")


def test_language_switch_keeps_the_slide():
    app = dashboard(PAGE, tanggal="2020-03-18", slide="7")
    app.button(key="language").click().run()
    assert shown(app) == (
        "Civil servants by agency (OPD): top 5 and bottom 5 of 55",
        "Only 30% of civil servants have completed SP Online; target 80%",
    )
    assert app.button(key="language").label == "ID"


def test_the_chart_is_sized_to_the_window_before_the_browser_reports_it():
    # Until the browser says otherwise the window is a 1366x768 projector: chart text 3.2% of 768 px.
    app = dashboard(PAGE, tanggal="2020-03-18", slide="3")
    layout = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]
    assert layout["font"]["size"] == layout["legend"]["font"]["size"] == 25
    assert layout["yaxis"]["tickfont"]["size"] == layout["xaxis"]["tickfont"]["size"] == 25
    assert 300 < layout["height"] < 768 - 56


def test_an_area_slide_says_the_asn_figures_are_the_city_s():
    app = dashboard(PAGE, tanggal="2020-03-18", slide="7", kecamatan="Alak")
    assert shown(app)[0] == "ASN per OPD: 5 tertinggi dan 5 terendah dari 55 · angka Kota Kupang, bukan Alak saja"


def test_card_button_says_what_is_missing(monkeypatch):
    monkeypatch.setattr(briefing, "card_problem", lambda lang: f"no browser ({lang})")
    app = dashboard(PAGE, tanggal="2020-03-18", slide="3")
    card = downloads_open(app).get("download_button")[2]
    assert card.proto.disabled and card.proto.help == "no browser (id)"
    assert "no browser (id)" in [caption.value for caption in app.caption]
