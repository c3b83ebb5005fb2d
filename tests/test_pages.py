"""Every page through AppTest, on the calibrated sample: it runs, shows for the chosen area the
numbers worked out here with pandas from the sample's own rows, follows the language, and restores
the area filter from the URL.

The expected SP Online and ASN figures are the published points the sample is calibrated to
(data/calibration_5371.csv): on 2 March 2020, 3,040 of the 78,400 base households (KK) complete
against a target of 27.8%; on 18 March 2020, 30% of 6,200 civil servants."""

import copy
import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from conftest import with_data_open
from streamlit.testing.v1 import AppTest

from app import ui
from sensus import charts, nation, store
from sensus.formatting import decimal, number
from sensus.i18n import HEADLINE_INDICATORS, INDICATORS, format_indicator, indicator_metadata, indicator_short_name

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
KOTA_LAMA = "53.71.06"


@pytest.fixture(autouse=True)
def sample_store(sample_db, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(sample_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield sample_db
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def nation_db(tmp_path_factory):
    """A nation-shaped store in miniature: 2 provinces, 3 regencies, 5 districts, 9 villages."""
    return nation.build_nation(
        tmp_path_factory.mktemp("nation") / "nation.duckdb",
        seed=7,
        persons=10_000,
        provinces=2,
        regencies=3,
        districts=5,
        villages=9,
    )


@pytest.fixture(scope="module")
def province_db(tmp_path_factory):
    """The sample at scale 2: a province with two regencies, Kota Kupang the first."""
    from sensus.sample import build_sample

    return build_sample(tmp_path_factory.mktemp("province") / "province.duckdb", scale=2)


@pytest.fixture(scope="module")
def facts(sample_db) -> dict[str, pd.DataFrame]:
    """The sample's own rows: the expected figures below are worked out from them with pandas."""
    with store.connect(sample_db) as con:
        return {
            table: con.execute(f"from {table}").df()
            for table in ("areas", "population", "education_levels", "online_progress")
        }


def persons_of(facts: dict, code: str) -> pd.DataFrame:
    """The population rows of an area: of the village itself, or of the villages within it."""
    population = facts["population"]
    area_code = population["area_code"]
    return population[(area_code == code) | area_code.str.startswith(f"{code}.")]


def headline_of(facts: dict, code: str) -> dict[str, float]:
    """The headline indicators of an area from its single-year population rows."""
    rows = persons_of(facts, code)
    persons = rows["persons"].sum()
    by_sex = rows.groupby("sex")["persons"].sum()
    by_age = rows.groupby("age_from")["persons"].sum()
    below = by_age.cumsum() - by_age
    median_year = by_age.index[(below + by_age >= persons / 2).to_numpy()][0]
    higher = facts["education_levels"].loc[facts["education_levels"]["higher"], "code"]
    educated = rows[rows["education"].notna()]
    return {
        "persons": persons,
        "sex_ratio": 100 * by_sex[1] / by_sex[2],
        "median_age": median_year + (persons / 2 - below[median_year]) / by_age[median_year],
        "dependency_total": 100 * (by_age.loc[:14].sum() + by_age.loc[65:].sum()) / by_age.loc[15:64].sum(),
        "density": persons / facts["areas"].set_index("code").loc[code, "area_km2"],
        "higher_education_share": educated.loc[educated["education"].isin(higher), "persons"].sum()
        / educated["persons"].sum(),
    }


COMPARED = ("density", "higher_education_share", "dependency_total", "median_age", "sex_ratio")


def age_group_of(age: int) -> str:
    lower = min(age // 5 * 5, 75)
    return "75+" if lower == 75 else f"{lower}-{lower + 4}"


def dashboard(page: str | None = None, **query_params) -> AppTest:
    """The dashboard after its first run, on `page` (a script in pages/) with the URL's parameters."""
    app = AppTest.from_file(DASHBOARD, default_timeout=60)
    app.query_params.update(query_params)
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def metrics(app: AppTest) -> dict[str, tuple[str, str]]:
    """Each card's label, with its value and the note under it."""
    return {metric.label: (metric.value, metric.delta) for metric in app.metric}


def table(app: AppTest, columns: list[str]):
    return next(frame.value for frame in with_data_open(app).dataframe if list(frame.value.columns) == columns)


@pytest.mark.parametrize("script", [script for script, _, _ in ui.PAGES])
def test_every_page_runs(script):
    dashboard(script)


def test_every_page_is_addressed_by_its_file_name():
    """Until some session has run st.navigation, Streamlit serves pages/ by file name: a page with
    another address would meet a deep link that is the server's first request with "Page not found"."""
    pages = [*ui.PAGES, ui.UPLOAD_PAGE]
    assert [url_path for _, url_path, _ in pages] == [Path(script).stem for script, _, _ in pages]


@pytest.mark.parametrize(
    ("script", "url_path"),
    [
        ("pages/ringkasan.py", "ringkasan"),
        ("pages/penduduk.py", "penduduk"),
        ("pages/pendidikan.py", "pendidikan"),
        ("pages/sp_online.py", "sp_online"),
        ("pages/asn.py", "asn"),
        ("pages/bandingkan.py", "bandingkan"),
        ("pages/data_metode.py", "data_metode"),
    ],
)
def test_pages_in_the_frame_with_charts_and_downloads(script, url_path):
    app = dashboard(script)
    assert app.title[0].value.startswith(ui.t(f"page.{url_path}", "id"))
    notice = app.expander[0]  # one line, opening to the whole notice
    assert (notice.label, notice.proto.expanded) == (
        ":orange[**Data sintetis — bukan hasil resmi SP2020**]",
        False,
    )
    assert notice.warning[0].value.startswith("**Data sintetis — bukan hasil resmi SP2020.**")
    assert [select.label for select in app.sidebar.selectbox] == ["Kecamatan"]
    assert any("Data sintetis SP2020 Kota Kupang" in caption.value for caption in app.caption)
    assert {button.label for button in with_data_open(app).get("download_button")} == {"Unduh CSV", "Unduh XLSX"}
    if url_path != "data_metode":
        assert app.get("plotly_chart")


def unchanged(result, copy) -> bool:
    """Whether a cached result still is what its deep copy, taken when it was handed out, was."""
    if isinstance(result, (pd.DataFrame, pd.Series)):
        return (
            result.equals(copy)
            and result.attrs.keys() == copy.attrs.keys()
            and (not isinstance(result, pd.DataFrame) or list(result.columns) == list(copy.columns))
        )
    if dataclasses.is_dataclass(result):
        return all(unchanged(getattr(result, f.name), getattr(copy, f.name)) for f in dataclasses.fields(result))
    if isinstance(result, dict):
        return result.keys() == copy.keys() and all(unchanged(result[key], copy[key]) for key in result)
    if isinstance(result, (list, tuple)):
        return len(result) == len(copy) and all(unchanged(*pair) for pair in zip(result, copy))
    return result == copy or (result != result and copy != copy)  # NaN


@pytest.mark.parametrize("script", [script for script, _, _ in ui.PAGES])
def test_no_page_changes_the_query_results_every_run_shares(script, monkeypatch):
    handed_out = []

    def recorded(call):
        def recording(*args, **kwargs):
            result = call(*args, **kwargs)
            handed_out.append((f"{getattr(args[0], '__name__', args[0])}", result, copy.deepcopy(result)))
            return result

        return recording

    monkeypatch.setattr(ui, "query", recorded(ui.query))
    monkeypatch.setattr(ui, "cached", recorded(ui.cached))
    app = with_data_open(dashboard(script, kecamatan="Kota Lama"))
    app.run()
    assert len(handed_out) > 5
    assert [name for name, result, copy_ in handed_out if not unchanged(result, copy_)] == []


def test_a_chart_s_data_is_made_only_when_its_block_is_opened():
    app = dashboard("pages/pendidikan.py", kecamatan="Kota Lama")
    blocks = [expander for expander in app.main.expander if expander.label == "Lihat data"]
    assert len(blocks) == 3 and not any(block.proto.expanded for block in blocks)
    assert not app.dataframe and not app.get("download_button")
    app.session_state[ui.DATA_KEY + "pendidikan-umur"] = True
    app.run()
    assert [button.key for button in app.get("download_button")] == ["csv-pendidikan-umur", "xlsx-pendidikan-umur"]
    assert list(app.dataframe[0].value.columns) == ["Kelompok umur", "Pendidikan tertinggi", "Penduduk", "Persentase"]


def test_a_figure_is_built_once_per_question(monkeypatch):
    built = []
    pyramid = charts.pyramid
    monkeypatch.setattr(charts, "pyramid", lambda *args, **options: built.append(options) or pyramid(*args, **options))
    for measure in ("Jumlah", "Jumlah", "Persentase"):  # as the address holds the choice: shown
        dashboard("pages/penduduk.py", kecamatan="Kota Lama", ukuran=measure)
    dashboard("pages/penduduk.py", kecamatan="Alak", ukuran="Persentase")
    assert [(options["area"], options["measure"]) for options in built] == [
        ("Kota Lama", "persons"),
        ("Kota Lama", "share"),
        ("Alak", "share"),
    ]


def test_overview_cards_are_the_indicators_of_the_chosen_kecamatan(facts):
    app = dashboard(kecamatan="Kota Lama")
    assert app.title[0].value == "Ringkasan · Kota Lama"
    area = headline_of(facts, KOTA_LAMA)
    shown = metrics(app)
    for name in HEADLINE_INDICATORS:
        label = indicator_short_name(name, "id")
        assert shown[label][0] == format_indicator(name, area[name], "id", unit=False), name
    assert shown["Jumlah penduduk"][0] == number(area["persons"], "id")
    assert shown["Umur median"] == (decimal(area["median_age"], "id", 1), "tahun")


def test_overview_compares_the_kecamatan_with_the_city(facts):
    app = dashboard(kecamatan="Kota Lama")
    sentences = next(text.value for text in app.markdown if text.value.startswith("- ")).splitlines()
    kecamatan, city = headline_of(facts, KOTA_LAMA), headline_of(facts, "53.71")
    most_different = max(COMPARED, key=lambda name: abs(math.log(kecamatan[name] / city[name])))
    assert sentences[0].startswith(f"- {indicator_metadata(most_different, 'id')['name']} Kota Lama sekitar ")
    assert len(sentences) == 3


def test_overview_of_the_city_compares_it_with_its_most_unlike_kecamatan(facts):
    app = dashboard()
    assert "Dibanding Kota Kupang: kecamatan yang paling berbeda" in [header.value for header in app.subheader]
    sentences = next(text.value for text in app.markdown if text.value.startswith("- ")).splitlines()
    city = headline_of(facts, "53.71")
    districts = facts["areas"][facts["areas"]["level"] == "district"]
    headlines = {row.name: headline_of(facts, row.code) for row in districts.itertuples()}
    # For each indicator the kecamatan furthest from the city, named when a tenth or more unlike it.
    unlike = []
    for name in COMPARED:
        distances = {district: abs(math.log(values[name] / city[name])) for district, values in headlines.items()}
        furthest = max(distances, key=distances.get)
        if distances[furthest] >= math.log(1.1):
            unlike.append((distances[furthest], name, furthest))
    expected = [(name, district) for _, name, district in sorted(unlike, reverse=True)[:3]]
    assert len(sentences) == len(expected) > 0
    for sentence, (name, district) in zip(sentences, expected):
        assert sentence.startswith(f"- {indicator_metadata(name, 'id')['name']} {district} ")
        assert "angka Kota Kupang" in sentence


def test_age_group_table_holds_the_pyramid_of_the_kecamatan(facts):
    app = dashboard("pages/penduduk.py", kecamatan="Kota Lama")
    rows = persons_of(facts, KOTA_LAMA)
    lower = np.minimum(rows["age_from"] // 5 * 5, 75)  # 75+ is open
    by_group = rows.pivot_table(index=lower, columns="sex", values="persons", aggfunc="sum")
    shown = table(app, ["Kelompok umur", "Laki-laki", "Perempuan", "Rasio jenis kelamin"])
    assert shown.values.tolist() == [
        [age_group_of(age), male, female, pytest.approx(100 * male / female)]
        for age, male, female in zip(by_group.index, by_group[1], by_group[2])
    ]


def test_sp_online_on_the_published_second_of_march():
    app = dashboard("pages/sp_online.py", tanggal="2020-03-02")
    shown = metrics(app)
    # 3,040 / 78,400 = 3.88%; the target is ceil(0.278 * 78,400) = 21,796 households, 18,756 still needed.
    assert shown["KK selesai, 2 Mar 2020"] == ("3,9%", "target 27,8%")
    assert shown["KK yang masih diperlukan"] == ("18.756", "3.040 dari 21.796")
    assert shown["Sisa hari sampai 31 Mar 2020"][0] == "29"


def test_sp_online_on_the_original_deadline_has_no_day_left():
    shown = metrics(dashboard("pages/sp_online.py", tanggal="2020-03-31"))
    assert shown["Sisa hari sampai 31 Mar 2020"][0] == "0"
    assert shown["Laju yang diperlukan"][0] == "—"


def test_sp_online_the_day_after_the_original_deadline_counts_to_the_extension():
    shown = metrics(dashboard("pages/sp_online.py", tanggal="2020-04-01"))
    assert shown["Sisa hari sampai 29 Mei 2020"][0] == "58"  # 29 days left in April, then 29 in May


def test_sp_online_on_the_last_day_says_the_deadline_has_come(facts):
    app = dashboard("pages/sp_online.py")  # the last date of the series by default: 29 May 2020
    last_day = facts["online_progress"][facts["online_progress"]["date"] == "2020-05-29"]
    base, complete = last_day["households_base"].sum(), last_day["households_complete"].sum()
    short = math.ceil(0.278 * base) - complete  # the target is 27.8% of the base households
    shown = metrics(app)
    assert shown["Sisa hari sampai 29 Mei 2020"][0] == "0"
    assert shown["Laju yang diperlukan"] == ("—", f"batas waktu sudah tiba, kurang {number(short, 'id')} KK")
    assert shown["KK yang masih diperlukan"][0] == number(short, "id")


def test_asn_at_the_coordination_meeting_of_eighteenth_march():
    app = dashboard("pages/asn.py", tanggal="2020-03-18")
    shown = metrics(app)
    assert shown["ASN selesai SP Online"] == ("30,0%", "18 Mar 2020 · target 80%")
    assert shown["Jumlah ASN selesai"] == ("1.860", "dari 6.200 ASN")


def test_english_switches_titles_labels_and_number_formats(facts):
    app = dashboard(lang="EN", kecamatan="Kota Lama")
    assert app.title[0].value == "Overview · Kota Lama"
    assert [select.label for select in app.sidebar.selectbox] == ["District (kecamatan)", "Village (kelurahan/desa)"]
    persons = persons_of(facts, KOTA_LAMA)["persons"].sum()
    assert metrics(app)["Population"][0] == number(persons, "en")
    assert "," in number(persons, "en")


def test_the_language_switch_is_indonesian_first_and_a_link_with_english_opens_in_english():
    app = dashboard("pages/sp_online.py")
    assert app.sidebar.segmented_control[0].value == "id"
    assert app.title[0].value == "SP Online · Kota Kupang"
    app.sidebar.segmented_control[0].set_value("en").run()
    assert app.warning[0].value.startswith("**Synthetic data — not official SP2020 results.**")
    assert [metric.label for metric in app.metric][:2] == [
        "Households complete, 29 May 2020",
        "Households still needed",
    ]
    assert app.date_input[0].label == "Status on"
    reopened = dashboard(lang="EN")  # AppTest does not see bound widgets write the URL: the browser test does
    assert reopened.sidebar.segmented_control[0].value == "en"
    assert reopened.title[0].value == "Overview · Kota Kupang"


def test_url_parameters_restore_kecamatan_and_kelurahan():
    app = dashboard("pages/pendidikan.py", kecamatan="Kota Lama", kelurahan="Oeba")
    assert app.title[0].value == "Pendidikan · Oeba"
    assert [select.value for select in app.sidebar.selectbox] == ["53.71.06", "53.71.06.1007"]
    assert app.caption[0].value.startswith("Oeba, Kota Lama, Kota Kupang (53.71.06.1007)")


def test_choosing_a_kecamatan_offers_its_kelurahan_only():
    app = dashboard()
    app.sidebar.selectbox[0].select("53.71.06").run()
    assert app.title[0].value == "Ringkasan · Kota Lama"
    villages = app.sidebar.selectbox[1]
    assert villages.options[0] == "Semua kelurahan/desa"
    assert len(villages.options) == 1 + 10
    assert "Oeba" in villages.options and "Oebobo" not in villages.options


def test_the_area_filter_shows_the_area_chosen_however_the_user_got_there(province_db, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(province_db))
    app = dashboard()

    def shown():
        return app.title[0].value, [select.value for select in app.sidebar.selectbox]

    app.sidebar.selectbox[0].select("53.71").run()
    app.sidebar.selectbox[1].select("53.71.06").run()
    app.sidebar.selectbox[2].select("53.71.06.1007").run()
    assert shown() == ("Ringkasan · Oeba", ["53.71", "53.71.06", "53.71.06.1007"])
    app.sidebar.selectbox[0].select("").run()
    assert shown()[1] == [""]
    # Back to the city: the city itself, not the kelurahan chosen before.
    app.sidebar.selectbox[0].select("53.71").run()
    assert shown() == ("Ringkasan · Kota Kupang", ["53.71", ""])
    assert "kelurahan" not in app.query_params and "kecamatan" not in app.query_params
    # Another kecamatan starts at all of its kelurahan.
    app.sidebar.selectbox[1].select("53.71.06").run()
    app.sidebar.selectbox[2].select("53.71.06.1007").run()
    app.sidebar.selectbox[1].select("53.71.01").run()
    assert shown() == ("Ringkasan · Alak", ["53.71", "53.71.01", ""])


def test_english_stays_when_another_page_opens():
    app = dashboard("pages/penduduk.py", lang="EN")
    assert app.title[0].value == "Population · Kota Kupang"
    app.switch_page("pages/pendidikan.py").run()
    assert app.title[0].value == "Education · Kota Kupang"


def test_an_address_naming_a_kelurahan_without_its_kecamatan_never_brings_it_back():
    app = dashboard(kelurahan="Oeba")
    assert app.title[0].value == "Ringkasan · Kota Kupang" and "kelurahan" not in app.query_params
    app.sidebar.selectbox[0].select("53.71.06").run()
    assert app.title[0].value == "Ringkasan · Kota Lama" and app.sidebar.selectbox[1].value == ""


def test_overview_keeps_its_map_choice_in_the_address_and_shows_its_indicator_table():
    app = dashboard(peta=indicator_metadata("density", "id")["name"])  # the URL holds the choice as shown
    assert next(select for select in app.selectbox if select.key == "peta").value == "density"
    # The last section, the indicators of the area and those around it, shows its table, not a closed block.
    assert app.main.subheader[-1].value.startswith("Indikator utama")
    assert app.main.expander[-1].proto.expanded


def test_population_keeps_the_outline_choice_in_the_address():
    app = dashboard("pages/penduduk.py", kecamatan="Kota Lama", garis="false")
    assert app.toggle[0].value is False


def test_an_open_block_follows_its_data_when_a_choice_changes_it():
    app = with_data_open(dashboard("pages/penduduk.py", kecamatan="Kota Lama"))
    outlined = [list(frame.value.columns) for frame in app.dataframe]
    app.toggle[0].set_value(False).run()
    plain = [list(frame.value.columns) for frame in app.dataframe]
    assert ["Kelompok umur", "Jenis kelamin", "Penduduk", "Persentase", "Persentase Kota Kupang"] in outlined
    assert ["Kelompok umur", "Jenis kelamin", "Penduduk", "Persentase"] in plain
    assert not any("Persentase Kota Kupang" in columns for columns in plain)


def test_an_unknown_name_in_the_url_falls_back_to_the_whole_city():
    app = dashboard(kecamatan="Atlantis")
    assert app.title[0].value == "Ringkasan · Kota Kupang"


def test_compare_shows_the_chosen_areas_side_by_side(facts):
    app = dashboard("pages/bandingkan.py", bandingkan=["Alak (53.71.01)", "Kota Lama (53.71.06)"])
    shown = next(frame.value for frame in with_data_open(app).dataframe if frame.value.columns[0] == "Nama")
    assert shown["Nama"].tolist() == ["Alak", "Kota Lama"]
    persons = [persons_of(facts, code)["persons"].sum() for code in ("53.71.01", KOTA_LAMA)]
    assert shown["Jumlah penduduk"].tolist() == persons  # numbers, so the table sorts by value


def test_data_and_methods_lists_the_checks_and_every_indicator_definition():
    app = dashboard("pages/data_metode.py")
    assert len(app.success) == 5 and not app.error
    definitions = table(app, ["Indikator", "Definisi", "Rumus", "Sumber data"])
    assert definitions["Indikator"].tolist() == [indicator_metadata(name, "id")["name"] for name in INDICATORS]
    assert definitions["Rumus"].tolist()[1] == "100 × laki-laki / perempuan"


def test_a_kelurahan_s_education_by_age_shows_its_protected_cells_and_says_so(sample_db, monkeypatch):
    monkeypatch.delenv("SENSUS_PROTECTION")
    app = dashboard("pages/pendidikan.py", kecamatan="Kota Lama", kelurahan="Airmata")
    with store.connect(sample_db) as con:
        cells = con.execute(
            """
            select grp.label as age_group, edu.label_id as education, sum(cells.published) as persons
            from protected_cells as cells
            join age_groups as grp on grp.lower = cells.age_from
            join education_levels as edu on edu.code = cells.education
            where cells.area_code = '53.71.06.1001'
            group by all
            """
        ).df()
    published = cells.set_index(["age_group", "education"])["persons"]
    shown = table(app, ["Kelompok umur", "Pendidikan tertinggi", "Penduduk", "Persentase"])
    counts = pd.to_numeric(shown.set_index(["Kelompok umur", "Pendidikan tertinggi"])["Penduduk"])
    # Every count shown is the sum of the kelurahan's published cells; none is from 1 to 4.
    assert counts.tolist() == [published.get(key, 0) for key in counts.index]
    assert not counts.between(1, 4).any()
    assert any(caption.value.startswith("Demi kerahasiaan data sensus (UU 16/1997)") for caption in app.caption)


def test_compare_starts_from_the_areas_below_or_from_the_area_beside_others_of_its_parent():
    assert dashboard("pages/bandingkan.py").multiselect[0].value == ["53.71.01", "53.71.02", "53.71.03"]
    oeba = dashboard("pages/bandingkan.py", kecamatan="Kota Lama", kelurahan="Oeba").multiselect[0].value
    assert oeba[0] == "53.71.06.1007" and len(oeba) == 3
    assert all(code.startswith("53.71.06.") for code in oeba)


def test_compare_with_fewer_than_two_areas_asks_for_more_and_keeps_the_footer(monkeypatch):
    monkeypatch.delenv("SENSUS_PROTECTION")
    app = dashboard("pages/bandingkan.py", bandingkan="Alak (53.71.01)")
    assert app.info[0].value == "Pilih dua sampai empat wilayah untuk dibandingkan."
    assert any(caption.value.startswith("Kontrol pengungkapan aktif") for caption in app.caption)


# ---------------------------------------------------------------- a store from the nation down


def downloads(app: AppTest) -> set[str]:
    return {button.key for button in with_data_open(app).get("download_button")}


def test_sp_online_lists_villages_from_a_regency_down_only(nation_db, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(nation_db))
    with store.connect(nation_db) as connection:
        areas = connection.execute("select code, name, parent_code from areas order by code").df()
    province = areas[areas["parent_code"] == nation.NATION].iloc[0]
    regency = areas[areas["parent_code"] == province["code"]].iloc[0]
    assert "csv-sp-online-per-kelurahan" not in downloads(dashboard("pages/sp_online.py"))
    assert "csv-sp-online-per-kelurahan" not in downloads(dashboard("pages/sp_online.py", provinsi=province["name"]))
    in_regency = dashboard("pages/sp_online.py", provinsi=province["name"], kabkota=regency["name"])
    assert "csv-sp-online-per-kelurahan" in downloads(in_regency)


def test_compare_offers_the_area_the_others_of_its_parent_and_two_levels_below(nation_db, monkeypatch):
    monkeypatch.setenv("SENSUS_DB", str(nation_db))
    with store.connect(nation_db) as connection:
        areas = connection.execute("select code, name, level from areas").df()
    app = dashboard("pages/bandingkan.py")
    offered = set(app.multiselect[0].options)
    expected = areas[areas["level"].isin(["province", "regency"])]
    assert offered == {f"{row.name} ({row.code})" for row in expected.itertuples()}
