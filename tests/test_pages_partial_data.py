"""Every page on stores that hold part of the data: a new store of areas only (sensus init), the tiny
store's population without education, SP Online or ASN, and the tiny store with an area left without
some of its data. The menu offers the pages with something to show, a part without its data says so
in one line in the reader's language, the rest draws the figures worked out here by hand, and the
synthetic notice and download headers follow the datasets in force.

The tiny population (tests/conftest.py): Kota Uji 190 persons (107 male, 83 female) on 10 km²,
aged 0-14: 42, 15-64: 130, 65+: 18; Barat 150 (75 male, 75 female), Timur 40 (32 male, 8 female)."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from conftest import with_data_open
from streamlit.testing.v1 import AppTest

from app import ui
from sensus import area_list, store
from sensus.formatting import decimal, long_date, number
from sensus.ingest import ingest_file

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
BANDUNG = "32.73"
TIMUR = "99.01.02"


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def areas_only(tmp_path, monkeypatch):
    """A new store for Kota Bandung from the national area list: areas, no data."""
    path, _, _ = area_list.init_store(tmp_path / "bandung.duckdb", BANDUNG)
    monkeypatch.setenv("SENSUS_DB", str(path))
    return path


@pytest.fixture
def population_only(population_only_db, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(population_only_db))
    return population_only_db


def dashboard(page: str | None = None, lang: str = "id", **query_params) -> AppTest:
    """The dashboard opened on `page` (a script in pages/) by a link with the URL's parameters and the
    language."""
    app = AppTest.from_file(DASHBOARD, default_timeout=60)
    app.query_params.update(query_params, lang=lang.upper())
    if page:
        app.switch_page(page)  # before the first run: the page the link names
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def menu(app: AppTest) -> list[str]:
    """The pages the navigation offers (AppTest switches only to those)."""
    offered = []
    for script, url_path, _ in ui.PAGES:
        try:
            app.switch_page(script)
        except ValueError:
            continue
        offered.append(url_path)
    return offered


def metrics(app: AppTest) -> dict[str, tuple[str, str]]:
    return {metric.label: (metric.value, metric.delta) for metric in app.metric}


def table(app: AppTest, first_column: str) -> pd.DataFrame:
    return next(frame.value for frame in with_data_open(app).dataframe if frame.value.columns[0] == first_column)


def titles(pages: list[str], lang: str) -> dict[str, str | None]:
    """Each page opened in the language (without an exception), with its title (the presentation has none)."""
    opened = {url_path: dashboard(f"pages/{url_path}.py", lang=lang) for url_path in pages}
    return {url_path: app.title[0].value if app.title else None for url_path, app in opened.items()}


# ---------------------------------------------------------------- a store of areas only


def test_a_store_of_areas_only_offers_the_overview_and_data_pages(areas_only):
    app = dashboard()
    assert menu(app) == ["ringkasan", "data_metode"]
    assert not app.warning  # nothing synthetic: the national area list only
    assert titles(menu(app), "id") == {
        "ringkasan": "Ringkasan · Kota Bandung",
        "data_metode": "Data & metode · Kota Bandung",
    }
    assert titles(menu(app), "en") == {
        "ringkasan": "Overview · Kota Bandung",
        "data_metode": "Data & methods · Kota Bandung",
    }


def test_the_overview_of_a_store_of_areas_only_counts_its_areas_and_says_what_to_load(areas_only):
    codes = pd.read_csv(area_list.AREA_LIST, dtype=str)["kode"]
    below = codes[codes.str.startswith(f"{BANDUNG}.")]
    districts, villages = below[below.str.count(r"\.") == 2], below[below.str.count(r"\.") == 3]
    assert (len(districts), len(villages)) == (30, 151)

    app = dashboard()
    assert [info.value for info in app.info] == [
        "Belum dimuat untuk wilayah ini: penduduk, pendidikan, SP Online, ASN."
    ]
    assert metrics(app) == {"Kecamatan": ("30", ""), "Kelurahan/desa": ("151", "")}
    assert any("python -m sensus ingest JENIS BERKAS" in caption.value for caption in app.caption)
    assert table(app, "Kode")["Kode"].tolist() == sorted(districts)

    english = dashboard(lang="en")
    assert [info.value for info in english.info] == [
        "Not loaded for this area yet: population, education, SP Online, civil servants."
    ]
    assert metrics(english) == {"District (kecamatan)": ("30", ""), "Village (kelurahan/desa)": ("151", "")}


@pytest.mark.parametrize("page", ["penduduk", "pendidikan", "sp_online", "asn", "bandingkan", "presentasi"])
def test_a_link_to_a_hidden_page_opens_the_overview(areas_only, page):
    """A deep link that is the server's first request runs the page file bare, which draws the frame:
    the navigation then knows no such page and opens its first one."""
    app = AppTest.from_file(str(Path(DASHBOARD).parent / "pages" / f"{page}.py"), default_timeout=60).run()
    assert not app.exception, [error.value for error in app.exception]
    assert app.title[0].value == "Ringkasan · Kota Bandung"


# ---------------------------------------------------------------- population only


def test_a_store_with_population_only_offers_its_pages(population_only):
    app = dashboard()
    assert menu(app) == ["ringkasan", "penduduk", "bandingkan", "data_metode", "presentasi"]
    assert not app.warning  # loaded from a file: nothing synthetic
    assert titles(menu(app), "id") == {
        "ringkasan": "Ringkasan · Kota Uji",
        "penduduk": "Penduduk · Kota Uji",
        "bandingkan": "Bandingkan wilayah · Kota Uji",
        "data_metode": "Data & metode · Kota Uji",
        "presentasi": None,
    }
    assert titles(menu(app), "en") == {
        "ringkasan": "Overview · Kota Uji",
        "penduduk": "Population · Kota Uji",
        "bandingkan": "Compare areas · Kota Uji",
        "data_metode": "Data & methods · Kota Uji",
        "presentasi": None,
    }


@pytest.mark.parametrize(
    ("lang", "missing", "cards"),
    [
        (
            "id",
            "Belum dimuat untuk wilayah ini: pendidikan, SP Online, ASN.",
            ["Jumlah penduduk", "Rasio jenis kelamin", "Umur median", "Rasio ketergantungan", "Kepadatan penduduk"],
        ),
        (
            "en",
            "Not loaded for this area yet: education, SP Online, civil servants.",
            ["Population", "Sex ratio", "Median age", "Dependency ratio", "Population density"],
        ),
    ],
)
def test_the_overview_of_population_only_shows_its_cards_and_says_what_is_missing(
    population_only, lang, missing, cards
):
    app = dashboard(lang=lang)
    assert [info.value for info in app.info] == [missing]
    # The median falls in the single year 20: 42 persons are younger, 70 are 20, half of 190 is 95.
    expected = [190, 100 * 107 / 83, 20 + (95 - 42) / 70, 100 * (42 + 18) / 130, 190 / 10]
    values = [number(190, lang), *(decimal(value, lang, 1) for value in expected[1:4]), number(19, lang)]
    assert [metric.label for metric in app.metric] == cards
    assert [metric.value for metric in app.metric] == values
    assert not [button.key for button in with_data_open(app).get("download_button") if "online" in button.key]


def test_the_overview_says_when_its_areas_cannot_be_placed_on_a_map(population_only_db, monkeypatch):
    with store.replacing(population_only_db) as con:
        con.execute("update areas set lat = null, lon = null")
    monkeypatch.setenv("SENSUS_DB", str(population_only_db))
    app = dashboard()
    assert [info.value for info in app.info] == [
        "Belum dimuat untuk wilayah ini: pendidikan, SP Online, ASN.",
        "Peta belum bisa digambar: wilayah ini tidak punya titik tengah di data dan tidak ada berkas batas wilayah "
        "(SENSUS_BOUNDARIES).",
    ]
    assert not app.get("plotly_chart")
    assert table(app, "Kode").values.tolist() == [["99.01.01", "Barat", 150], ["99.01.02", "Timur", 40]]


def test_the_population_page_draws_the_broad_age_groups(population_only):
    app = dashboard("pages/penduduk.py")
    assert not app.info
    assert metrics(app) == {
        "Umur 0-14": (f"{decimal(100 * 42 / 190, 'id', 1)}%", ""),
        "Umur 15-64": (f"{decimal(100 * 130 / 190, 'id', 1)}%", ""),
        "Umur 65+": (f"{decimal(100 * 18 / 190, 'id', 1)}%", ""),
    }


@pytest.mark.parametrize(
    ("lang", "messages"),
    [
        (
            "id",
            [
                "Data pendidikan belum dimuat untuk wilayah yang dibandingkan.",
                "Data SP Online belum dimuat untuk wilayah yang dibandingkan.",
            ],
        ),
        (
            "en",
            [
                "No education data is loaded for the areas compared.",
                "No SP Online data is loaded for the areas compared.",
            ],
        ),
    ],
)
def test_compare_without_education_or_sp_online_says_so_and_draws_the_rest(population_only, lang, messages):
    app = dashboard("pages/bandingkan.py", lang=lang)
    assert [info.value for info in app.info] == messages
    headline = table(app, ui.t("col.name", lang))
    assert headline.iloc[:, :3].values.tolist() == [["Barat", 150, 100.0], ["Timur", 40, 400.0]]
    assert len(headline.columns) == 6  # no share with higher education
    assert {button.key for button in with_data_open(app).get("download_button")} == {
        "csv-bandingkan-indikator",
        "xlsx-bandingkan-indikator",
        "csv-bandingkan-piramida",
        "xlsx-bandingkan-piramida",
    }


def test_the_presentation_of_population_only_has_its_slides(population_only):
    app = dashboard("pages/presentasi.py")
    assert app.segmented_control(key="slide").options == ["1", "2", "3", "4"]  # title, indicators, pyramid, sources
    assert not app.date_input  # no dated series to choose a day from
    app.session_state["rakor-downloads"] = True  # the download menu opened
    app.run()
    assert [button.key for button in app.download_button] == ["download-deck", "download-briefing"]


def test_the_presentation_of_an_area_with_nothing_to_present_says_so(population_only_db, monkeypatch):
    with store.replacing(population_only_db) as con:
        con.execute("delete from population where area_code like '99.01.02.%'")
        store.refresh_rollups(con)
    monkeypatch.setenv("SENSUS_DB", str(population_only_db))
    app = dashboard("pages/presentasi.py", kecamatan="Timur")
    assert [info.value for info in app.info] == [
        "Belum ada yang bisa dipresentasikan untuk wilayah ini: muat data penduduk, atau SP Online atau ASN beserta "
        "targetnya."
    ]
    english = dashboard("pages/presentasi.py", kecamatan="Timur", lang="en")
    assert [info.value for info in english.info] == [
        "There is nothing to present for this area yet: load population data, or SP Online or ASN data with its target."
    ]


# ---------------------------------------------------------------- one area without what the others have


@pytest.fixture
def timur_without_online_or_education(tiny_db, monkeypatch):
    """The tiny store with Timur's one village (Tiga) stripped of its SP Online rows, and education as a table
    of its own for Barat's villages only."""
    with store.replacing(tiny_db) as con:
        con.execute("delete from online_progress where village_code = '99.01.02.1001'")
        education = store.record_dataset(
            con,
            kind="population",
            source_file="pendidikan.csv",
            sha256="3" * 64,
            rows_read=7,
            persons_read=130,
            synthetic=True,
            description_key="dataset.sample",
            description_values={"calibration": "tiny"},
            dimensions=["education"],
        )
        con.execute(
            "insert into population select ?, period, area_code, null, null, null, education, sum(persons) "
            "from population where area_code like '99.01.01.%' and education is not null group by all",
            [education],
        )
        con.execute("update population set education = null where dataset_id = 1")
        con.execute("update datasets set dimensions = ['sex', 'age'] where id = 1")
        store.refresh_rollups(con)
    monkeypatch.setenv("SENSUS_DB", str(tiny_db))
    return tiny_db


@pytest.mark.parametrize(
    ("lang", "message"),
    [("id", "Data SP Online belum dimuat untuk wilayah ini."), ("en", "No SP Online data is loaded for this area.")],
)
def test_sp_online_for_an_area_without_rows(timur_without_online_or_education, lang, message):
    app = dashboard("pages/sp_online.py", kecamatan="Timur", lang=lang)
    assert [info.value for info in app.info] == [message]
    assert not app.metric and not app.get("plotly_chart")
    # Barat keeps its own: 90 of its 300 households complete on 2 March.
    barat = dashboard("pages/sp_online.py", kecamatan="Barat", lang=lang)
    assert not barat.info
    assert barat.metric[0].value == f"{decimal(30.0, lang, 1)}%"


@pytest.mark.parametrize(
    ("lang", "message"),
    [("id", "Data pendidikan belum dimuat untuk wilayah ini."), ("en", "No education data is loaded for this area.")],
)
def test_education_for_an_area_without_it(timur_without_online_or_education, lang, message):
    app = dashboard("pages/pendidikan.py", kecamatan="Timur", lang=lang)
    assert [info.value for info in app.info] == [message]
    assert not app.get("plotly_chart")  # no empty chart with a made-up axis
    assert dashboard("pages/pendidikan.py", kecamatan="Barat", lang=lang).get("plotly_chart")


def test_the_overview_of_an_area_without_sp_online_leaves_out_its_card(timur_without_online_or_education):
    timur = dashboard(kecamatan="Timur")
    assert [info.value for info in timur.info] == ["Belum dimuat untuk wilayah ini: pendidikan, SP Online."]
    assert "KK selesai SP Online" not in metrics(timur)
    assert metrics(timur)["Jumlah penduduk"] == ("40", "")
    barat = dashboard(kecamatan="Barat")
    assert not barat.info
    # 90 of Barat's 300 households complete on 2 March, against the 50% target.
    assert metrics(barat)["KK selesai SP Online"] == (f"{decimal(30.0, 'id', 1)}%", "2 Mar 2020 · target 50,0%")


def test_sp_online_without_a_target_shows_completion_and_leaves_out_what_needs_one(tiny_db, monkeypatch):
    with store.replacing(tiny_db) as con:
        con.execute("delete from targets")
    monkeypatch.setenv("SENSUS_DB", str(tiny_db))
    app = dashboard("pages/sp_online.py")
    assert [info.value for info in app.info] == [
        "Target SP Online belum dimuat untuk wilayah ini: kekurangan dan laju yang diperlukan tidak dihitung."
    ]
    assert metrics(app) == {"KK selesai, 2 Mar 2020": ("25,0%", "")}  # 100 of 400 households complete
    assert "csv-perlu-perhatian" not in {button.key for button in with_data_open(app).get("download_button")}
    assert metrics(dashboard())["KK selesai SP Online"][1] == "2 Mar 2020"  # the overview: the day, no target


# ---------------------------------------------------------------- the synthetic notice and download headers


def test_the_synthetic_notice_names_only_the_synthetic_data_in_force(tiny_db, tmp_path, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(tiny_db))
    assert dashboard().warning[0].value.startswith("**Data sintetis — bukan hasil resmi SP2020.** Angka di dasbor")
    counts = tmp_path / "penduduk.csv"
    counts.write_text("kode_wilayah;jenis_kelamin;umur;jumlah\n99.01.01.1001;L;30;20\n99.01.02.1001;P;40;25\n")
    ingest_file("population", counts, db=tiny_db)
    st.cache_data.clear()
    assert [warning.value for warning in dashboard().warning] == [
        "**Data sintetis — bukan hasil resmi SP2020.** Data SP Online, ASN di dasbor ini dibangkitkan komputer "
        "(sampel bawaan); data lainnya dimuat dari berkas. Data SP Online, ASN bukan untuk perencanaan.",
        # the file holds two of the city's three kelurahan: its total is said to be theirs alone
        "Data penduduk (periode tidak disebut) hanya mencakup 2 dari 3 wilayah di bawah wilayah ini: jumlahnya "
        "hanya dari wilayah itu.",
    ]


def header_of(fact: str, lang: str = "id", data: pd.DataFrame | None = None) -> dict[str, str]:
    """The header of a download, made as in a page run: with the store in force opened first."""
    ui.open_store(lang)
    view = ui.View(lang=lang, area={"code": "99.01", "name": "Kota Uji"}, trail=(("regency", "Kota Uji"),))
    return dict(ui.export_header(view, "Piramida", fact=fact, on=None, filters=[], data=data))


def test_a_download_of_a_loaded_file_is_dated_by_its_load_not_the_census(population_only):
    today = long_date(date.today(), "id")
    assert header_of("population") == {
        "Judul": "Piramida",
        "Sumber": f"Penduduk dari berkas penduduk.csv (CSV) (penduduk.csv, sha256 {'1' * 12})",
        "Wilayah": "Kota Uji (99.01)",
        "Tanggal data": f"Penduduk dari berkas penduduk.csv (CSV), dimuat {today}",
        "Filter": "Kabupaten/kota: Kota Uji",
        "Diunduh": today,
    }


def test_a_download_of_the_sample_is_dated_by_the_census(sample_db, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(sample_db))
    header = header_of("population", "en")
    assert header["Data date"] == "SP2020 (as of September 2020)"
    assert header["Note"] == "Synthetic data — not official SP2020 results"


def test_a_download_of_sp_online_days_is_dated_by_the_days_it_holds_not_the_census(sample_db, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(sample_db))
    days = pd.DataFrame({"date": pd.to_datetime(["2020-02-15", "2020-03-01", "2020-05-29"])})
    header = header_of("online", "en", data=days)
    assert header["Data date"] == "15 February 2020 – 29 May 2020"
    assert header["Source"].startswith("Synthetic SP2020 data for Kota Kupang")
