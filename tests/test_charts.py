"""Chart builders on small frames: the traces, the values drawn, and the words in each language."""

import math
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from sensus import charts, geo
from sensus.i18n import education_labels

PYRAMID = pd.DataFrame(
    {
        "age_group": ["0-4", "0-4", "5-9", "5-9"],
        "lower": [0, 0, 5, 5],
        "sex": [1, 2, 1, 2],
        "persons": [300, 200, 100, 400],
        "share": [0.3, 0.2, 0.1, 0.4],
    }
)
PARENT = PYRAMID.assign(share=[0.25, 0.25, 0.25, 0.25])
DEADLINES = {"start": date(2020, 2, 15), "original": date(2020, 3, 31), "extended": date(2020, 5, 29)}


def bars(figure, name):
    return next(trace for trace in figure.data if trace.name == name)


def test_pyramid_in_counts_with_the_parent_outline():
    figure = charts.pyramid(PYRAMID, "id", area="Barat", parent=PARENT, parent_name="Kota Uji")
    assert [trace.name for trace in figure.data] == ["Laki-laki", "Perempuan", "Bentuk Kota Uji", "Bentuk Kota Uji"]
    assert list(bars(figure, "Laki-laki").x) == [-300, -100]
    assert list(bars(figure, "Perempuan").x) == [200, 400]
    # The parent's shares (a quarter in each cell) at this area's size of 1,000 persons.
    assert [list(trace.x) for trace in figure.data[2:]] == [[-250, -250], [250, 250]]
    assert list(bars(figure, "Perempuan").customdata) == ["200", "400"]
    assert figure.layout.title.text == "Piramida penduduk"
    assert figure.layout.title.subtitle.text == "Barat"
    assert (figure.layout.xaxis.title.text, figure.layout.yaxis.title.text) == ("Jumlah penduduk", "Kelompok umur")
    assert list(figure.layout.yaxis.categoryarray) == ["0-4", "5-9"]
    assert figure.layout.separators == ",."


def test_pyramid_in_shares_labels_its_axis_in_english():
    figure = charts.pyramid(PYRAMID, "en", area="Barat", measure="share")
    assert [trace.name for trace in figure.data] == ["Male", "Female"]
    assert list(bars(figure, "Male").x) == [-0.3, -0.1]
    assert figure.layout.xaxis.title.text == "Share of the whole population"
    assert list(figure.layout.xaxis.ticktext) == ["40%", "30%", "20%", "10%", "0%", "10%", "20%", "30%", "40%"]
    assert figure.layout.separators == ".,"
    # On a phone: beside the age groups (3 characters of 16 * 0.55 px) and 20 px, 240 - 26 - 20 = 194 px hold
    # 194 / (18 * 0.55) = 19 characters of the axis title a line.
    assert charts.narrow(figure, width=240).layout.xaxis.title.text == "Share of the whole<br>population"


def test_pyramid_rejects_an_unknown_measure():
    with pytest.raises(ValueError, match="measure must be"):
        charts.pyramid(PYRAMID, "id", area="Barat", measure="median")


def test_sex_ratio_bars_start_at_parity_and_skip_withheld_groups():
    frame = pd.DataFrame(
        {
            "age_group": ["0-4", "5-9", "10-14"],
            "lower": [0, 5, 10],
            "male": [110, 90, np.nan],
            "female": [100, 100, 4],
            "sex_ratio": [110.0, 90.0, np.nan],
        }
    )
    figure = charts.sex_ratio_by_age(frame, "en", area="Barat")
    ratio = figure.data[0]
    assert (ratio.base, list(ratio.x[:2]), np.isnan(ratio.x[2])) == (100, [10.0, -10.0], True)
    assert list(ratio.customdata) == ["110.0", "90.0", "–"]
    assert figure.data[1].name == "Parity (100)"
    assert figure.layout.xaxis.title.text == "Males per 100 females"


def test_education_by_sex_labels_the_levels():
    frame = pd.DataFrame(
        {"education": [1, 1, 8, 8], "sex": [1, 2, 1, 2], "persons": [30, 10, 70, 90], "share": [0.3, 0.1, 0.7, 0.9]}
    )
    figure = charts.education_by_sex(frame, "id", area="Barat")
    assert [trace.name for trace in figure.data] == ["Perempuan", "Laki-laki"]
    assert list(figure.data[0].y) == ["Tidak/belum pernah sekolah", "S2/S3"]
    assert list(figure.data[0].x) == [0.1, 0.9]
    assert figure.layout.xaxis.title.text == "Persentase dalam jenis kelamin"


def test_education_by_age_stacks_every_level_to_one_hundred_percent():
    frame = pd.DataFrame(
        {
            "age_group": ["5-9"] * 8,
            "lower": [5] * 8,
            "education": range(1, 9),
            "persons": [10] * 8,
            "share": [0.125] * 8,
        }
    )
    figure = charts.education_by_age(frame, "en", area="Barat")
    assert len(figure.data) == 8
    assert figure.data[6].name == "Diploma IV/Bachelor"
    assert (figure.layout.barmode, list(figure.layout.yaxis.range)) == ("stack", [0, 1])


def test_education_by_child_area_keeps_the_rank_order():
    frame = pd.DataFrame(
        {
            "code": ["b", "b", "a", "a"],
            "name": ["Timur", "Timur", "Barat", "Barat"],
            "education": [1, 8, 1, 8],
            "persons": [1, 3, 3, 1],
            "share": [0.25, 0.75, 0.75, 0.25],
        }
    )
    figure = charts.education_by_child_area(frame, "id", level="district")
    assert figure.layout.title.text == "Pendidikan tertinggi per kecamatan"
    assert list(figure.layout.yaxis.categoryarray) == ["Barat", "Timur"]  # the first ranked on top


def bar_totals(figure) -> dict:
    """Each bar's drawn share: its segments over all traces, none of them missing (plotly.js would start
    the rest of the stack at 0 again after one)."""
    totals: dict = {}
    for trace in figure.data:
        bars, shares = (trace.y, trace.x) if trace.orientation == "h" else (trace.x, trace.y)
        assert not np.isnan(np.asarray(shares, dtype=float)).any(), trace.name
        for bar, share in zip(bars, shares):
            totals[bar] = totals.get(bar, 0.0) + share
    return totals


WITHHELD_AGES = pd.DataFrame(
    {
        "age_group": ["5-9"] * 3 + ["10-14"] * 3,
        "lower": [5] * 3 + [10] * 3,
        "education": [1, 2, 3, 1, 2, 3],
        "persons": [10, np.nan, 5, 20, 20, 10],
        "share": [0.6, np.nan, 0.3, 0.4, 0.4, 0.2],
    }
)


def test_education_by_age_draws_what_protection_withheld_as_a_labelled_band_on_top():
    figure = charts.education_by_age(WITHHELD_AGES, "id", area="Barat")
    names = [trace.name for trace in figure.data]
    assert names[-1] == "dirahasiakan"
    assert names[:3] == ["Tidak/belum pernah sekolah", "Tidak/belum tamat SD", "SD/sederajat"]
    # Each level has a segment in every bar, in the bars' order; the level withheld in 5-9 is nought there
    # (a missing value would start the rest of the stack at 0 again), its hover text a dash.
    assert (list(figure.data[1].x), list(figure.data[1].y)) == (["5-9", "10-14"], [0.0, 0.4])
    assert list(figure.data[1].customdata[0]) == ["–", "–"]
    # 5-9 shows 60% + 30%; the 10% withheld makes it whole. 10-14 lost nothing.
    band = figure.data[-1]
    assert list(band.y) == pytest.approx([0.1, 0.0])
    assert band.customdata[0] == "10,0%"
    assert bar_totals(figure) == pytest.approx({"5-9": 1.0, "10-14": 1.0})


def test_education_by_sex_adds_the_withheld_share_of_each_sex():
    frame = pd.DataFrame(
        {
            "education": [1, 1, 8, 8],
            "sex": [1, 2, 1, 2],
            "persons": [30, 10, np.nan, 90],
            "share": [0.3, 0.1, np.nan, 0.9],
        }
    )
    figure = charts.education_by_sex(frame, "en", area="Barat")
    men = bars(figure, "Male")
    assert list(men.y) == ["Never attended school", "Master/Doctorate", "withheld"]
    assert men.x[2] == pytest.approx(0.7)
    assert list(bars(figure, "Female").x) == [0.1, 0.9, 0.0]
    assert list(figure.layout.yaxis.categoryarray)[-1] == "withheld"


def test_every_education_bar_of_the_smallest_kelurahan_reaches_one_hundred_percent(sample):
    from sensus import indicators

    village, district = sample.execute(
        """
        select a.code, a.parent_code from population p join areas a on a.code = p.area_code
        where a.level = 'village' group by all order by sum(p.persons), a.code limit 1
        """
    ).fetchone()
    figures = {
        "age": charts.education_by_age(indicators.education_by_age(sample, village), "id", area="x"),
        "children": charts.education_by_child_area(
            indicators.education_by_child_area(sample, district), "id", level="village"
        ),
    }
    by_sex = charts.education_by_sex(indicators.education_by_sex(sample, village), "id", area="x")
    for name, figure in figures.items():
        totals = bar_totals(figure)
        assert totals and totals == pytest.approx(dict.fromkeys(totals, 1.0)), name
        # Segments stack lowest level first, the order of the legend, over every bar.
        assert [trace.name for trace in figure.data][:8] == list(charts.education_labels("id").values())
    for trace in by_sex.data:
        assert np.nansum(trace.x) == pytest.approx(1.0), trace.name


ONLINE = pd.DataFrame(
    {
        "code": ["a", "b"],
        "name": ["Barat", "Timur"],
        "base": [300, 100],
        "submitted": [90, 20],
        "complete": [80, 10],
        "rate": [80 / 300, 0.1],
        "target": [0.25, 0.25],
    }
)


def test_online_by_area_splits_reached_from_below_and_marks_the_target():
    figure = charts.online_by_area(ONLINE, "id", level="district", on=date(2020, 3, 2))
    assert [trace.name for trace in figure.data] == ["Mencapai target", "Belum mencapai target", "Target 25,0%"]
    assert (list(figure.data[0].y), list(figure.data[1].y)) == (["Barat"], ["Timur"])
    assert list(figure.data[2].x) == [0.25, 0.25]
    assert figure.layout.title.text == "KK selesai SP Online per kecamatan"
    assert figure.layout.title.subtitle.text == "2 Maret 2020"
    assert list(figure.layout.yaxis.categoryarray) == ["Timur", "Barat"]  # highest rate on top


def test_submitted_versus_complete():
    figure = charts.submitted_vs_complete(ONLINE, "en", level="village", on=date(2020, 3, 2))
    assert [(trace.name, list(trace.x)) for trace in figure.data] == [
        ("Submitted", [20, 90]),
        ("Complete (clean)", [10, 80]),
    ]
    assert figure.layout.title.text == "Households submitted and complete by village"


TREND = pd.DataFrame(
    {
        "date": [date(2020, 3, 30), date(2020, 3, 31), date(2020, 4, 1)],
        "base": [100] * 3,
        "submitted": [20, 30, 40],
        "complete": [10, 20, 30],
        "rate": [0.1, 0.2, 0.3],
        "target": [0.5] * 3,
    }
)


def test_online_trend_draws_target_deadlines_and_the_chosen_date():
    figure = charts.online_trend(TREND, "id", area="Kota Uji", deadlines=DEADLINES, on=date(2020, 3, 31))
    named = [trace.name for trace in figure.data if trace.showlegend is not False]
    assert named == ["Mengirim", "Selesai (bersih)", "Target 50,0%"]
    assert list(figure.data[0].y) == [0.2, 0.3, 0.4]
    assert [note.text for note in figure.layout.annotations] == [
        "Tanggal dipilih 31 Mar 2020",
        "Batas awal 31 Mar 2020",
        "Diperpanjang s.d. 29 Mei 2020",
    ]
    assert list(figure.layout.xaxis.ticktext) == ["1 Apr"]


def test_asn_by_agency_uses_short_names():
    frame = pd.DataFrame(
        {
            "name": ["Dinas Satu", "Dinas Dua"],
            "short_name": ["D1", "D2"],
            "employees": [10, 40],
            "complete": [9, 12],
            "rate": [0.9, 0.3],
            "target": [0.8, 0.8],
        }
    )
    figure = charts.asn_by_agency(frame, "en", on=date(2020, 3, 18))
    assert [(trace.name, list(trace.y)) for trace in figure.data[:2]] == [
        ("Target reached", ["D1"]),
        ("Below target", ["D2"]),
    ]
    assert figure.data[0].customdata[0] == "Dinas Satu<br>9 of 10 = 90.0%"
    assert figure.layout.xaxis.title.text == "Civil servants complete (% of staff)"


def test_asn_trend():
    frame = TREND.rename(columns={"base": "employees"})[["date", "employees", "complete", "rate", "target"]]
    figure = charts.asn_trend(frame.assign(target=0.8), "id", on=date(2020, 3, 31))
    assert [trace.name for trace in figure.data if trace.showlegend is not False] == [
        "Selesai (bersih)",
        "Target 80,0%",
    ]
    assert list(figure.layout.yaxis.range) == [0, 1]


def test_comparisons_draw_one_panel_or_line_per_area():
    pyramids = pd.concat([PYRAMID.assign(name="Barat"), PYRAMID.assign(name="Timur")])
    figure = charts.compare_pyramids(pyramids, "id")
    assert [annotation.text for annotation in figure.layout.annotations] == ["Barat", "Timur"]
    assert len(figure.data) == 4
    trends = pd.concat([TREND.assign(name="Barat"), TREND.assign(name="Timur", rate=[0.0, 0.1, 0.2])])
    lines = charts.compare_online(trends, "en", deadlines=DEADLINES)
    assert [trace.name for trace in lines.data if trace.showlegend is not False] == ["Barat", "Timur", "Target 50.0%"]
    assert list(lines.data[1].y) == [0.0, 0.1, 0.2]


def test_a_figure_for_a_phone_wraps_its_long_title_and_makes_room_for_it():
    figure = charts.education_by_age(WITHHELD_AGES, "id", area="Oeba, Kota Lama, Kota Kupang (53.71.06.1007)")
    phone = charts.narrow(figure.update_layout(showlegend=False), width=240)
    # 240 px holds 240 / (22 * 0.55) = 19 characters of the title and 27 of the subtitle.
    assert phone.layout.title.text == "Pendidikan<br>tertinggi menurut<br>umur"
    assert phone.layout.title.subtitle.text == "Oeba, Kota Lama, Kota<br>Kupang (53.71.06.1007)"
    added = 2 * 22 * 1.3 + 16 * 1.3
    assert phone.layout.margin.t == figure.layout.margin.t + math.ceil(added)
    # Plotly centres the lines on the first one's place: the title moves down by one of its two added lines.
    assert phone.layout.title.pad.t == figure.layout.title.pad.t + math.ceil(22 * 1.3)
    assert figure.layout.title.text == "Pendidikan tertinggi menurut umur"  # the page's figure unchanged


def test_a_figure_for_a_phone_wraps_its_axis_title_and_puts_a_legend_at_the_right_on_top():
    frame = pd.DataFrame(
        {"name": ["Timur", "Barat"], "education": [1, 8], "persons": [1, 3], "share": [1.0, 1.0], "code": ["b", "a"]}
    )
    figure = charts.education_by_child_area(frame, "id", level="district")
    phone = charts.narrow(figure, width=240)
    # An axis title is centred under the plot, beside the bars' names (5 characters of 16 * 0.55 px) and 20 px:
    # 240 - 44 - 20 = 176 px, 176 / (18 * 0.55) = 17 characters a line.
    assert figure.layout.xaxis.title.text == "Persentase penduduk umur 5+"
    assert phone.layout.xaxis.title.text == "Persentase<br>penduduk umur 5+"
    # The legend moves from the right to the top, its entries (40 px and 9 a character each) in rows of
    # 240 px; the figure grows by what it adds above the plot.
    rows, used = 1, 0
    for label in education_labels("id").values():
        entry = 40 + 9 * len(label)
        rows, used = (rows + 1, entry) if used and used + entry > 240 else (rows, used + entry)
    assert (figure.layout.legend.orientation, phone.layout.legend.orientation) == ("v", "h")
    without = charts.narrow(go.Figure(figure).update_layout(showlegend=False), width=240)  # the titles' lines alone
    assert phone.layout.margin.t == without.layout.margin.t + rows * 28
    assert (
        phone.layout.height
        == without.layout.height + rows * 28
        == figure.layout.height + (phone.layout.margin.t - figure.layout.margin.t)
    )


def test_on_a_phone_panel_names_are_shortened_to_their_panel_and_date_notes_fit_beside_their_line():
    pyramids = pd.concat([PYRAMID.assign(name=name) for name in ("Alak", "Maulafa", "Kelapa Lima")])
    figure = charts.compare_pyramids(pyramids, "id")
    assert {note.xanchor for note in figure.layout.annotations} == {"center"}
    phone = charts.narrow(figure, width=340)
    # Beside the age groups (3 characters of 16 * 0.55 px) and 20 px: 340 - 26 - 20 = 294 px for three
    # panels, 98 px each: 98 / (18 * 0.55) = 9 characters of a name.
    assert [note.text for note in phone.layout.annotations] == ["Alak", "Maulafa", "Kelapa L…"]

    days = [date(2020, 2, 15) + pd.Timedelta(days=day) for day in range(105)]  # 15 Feb to 29 May
    trend = pd.DataFrame({"date": days, "base": 100, "submitted": 50, "complete": 40, "rate": 0.4, "target": 0.5})
    figure = charts.online_trend(trend, "id", area="Barat", deadlines=DEADLINES)
    notes = {note.text: note for note in charts.narrow(figure, width=340).layout.annotations}
    # 31 March is 45 of 104 days in: the note stays at the right of its line, with 59 / 104 of the 340 - 36
    # - 20 px plot (the numbers on the y axis taken as 6 characters), in the font that fits there.
    original = notes["Batas awal 31 Mar 2020"]
    room = 59 / 104 * (340 - int(6 * 16 * 0.55) - 20)
    assert original.xanchor == "left" and original.font.size == pytest.approx(room / (22 * 0.55))
    assert notes["Diperpanjang s.d. 29 Mei 2020"].xanchor == "right"


def test_a_map_narrows_for_a_phone_too():
    areas = pd.DataFrame(
        {
            "code": ["99.01.01", "99.01.02"],
            "name": ["Barat", "Timur"],
            "bps_code": ["9901010", "9901020"],
            "lat": [-10.0, -10.1],
            "lon": [123.0, 123.1],
            "persons": [100, 50],
        }
    )
    figure = geo.map_figure(areas, "persons", "id", None, title="Jumlah penduduk per kecamatan di Kota Uji")
    # 240 / (22 * 0.55) = 19 characters of the title a line; the map itself unchanged.
    phone = charts.narrow(figure, width=240)
    assert phone.layout.title.text == "Jumlah penduduk per<br>kecamatan di Kota<br>Uji"
    assert phone.data == figure.data
