"""Penduduk: the population pyramid against the parent area's shape, the sex ratio by age, and the
age-group tables; for data by age alone, the age groups without sex."""

from functools import partial

import streamlit as st

from app import ui
from sensus import charts, indicators
from sensus.formatting import percent, plain

view = ui.current_view()
ui.header(view, "penduduk")
if not view.holds("age"):
    ui.stop_page(view, view.t("missing.age" if view.holds("population") else "missing.population"))
parent_code, parent_name = view.area["parent_code"], view.area["parent_name"]

with st.container(horizontal=True, vertical_alignment="bottom"):
    measure = st.segmented_control(
        view.t("penduduk.measure"),
        ["persons", "share"],
        default="persons",
        required=True,
        format_func=lambda option: view.t(f"measure.{option}"),
        key="ukuran",
        bind="query-params",
    )
    outline = bool(parent_code) and st.toggle(
        view.t("penduduk.outline", parent=plain(parent_name)), value=True, key="garis", bind="query-params"
    )
ages = ui.cached(indicators.age_profile, view.code, view.period, parent_code if outline else None)
by_sex = ages.by_age is not None

# By age alone, the chart takes the whole width; the line saying why there is no sex ratio goes under it.
left, right = st.columns(2, gap="large") if by_sex else (st.container(), st.container())
with left:
    columns = {"age_group": "text", "sex": "sex", "persons": "number", "share": "percent"}
    if ages.parent is not None:
        columns["parent_share"] = "percent"
    figure = partial(
        charts.pyramid,
        ages.pyramid,
        view.lang,
        area=view.name,
        measure=measure,
        parent=ages.parent,
        parent_name=parent_name,
    )
    ui.chart(
        view,
        figure,
        ages.table,
        columns,
        name="piramida",
        filters=[f"{view.t('penduduk.measure')}: {view.t(f'measure.{measure}')}"],
        headers={"parent_share": view.t("col.parent_share", parent=parent_name)},
        choices=(measure, outline),
    )

with right:
    if by_sex:
        ui.chart(
            view,
            partial(charts.sex_ratio_by_age, ages.by_age, view.lang, area=view.name),
            ages.by_age,
            {"age_group": "text", "male": "number", "female": "number", "sex_ratio": "decimal"},
            name="rasio-jenis-kelamin",
        )
    else:
        st.info(view.t("penduduk.no_sex_by_age"))

st.subheader(view.t("penduduk.broad"))
with st.container(horizontal=True):
    for group in ages.broad.itertuples():
        st.metric(
            view.t("penduduk.broad_group", group=group.age_group),
            percent(group.share, view.lang, 1),
            border=True,
            width=220,
        )
sexes = {"male": "number", "female": "number"} if by_sex else {}
ui.data_block(
    view,
    ages.broad,
    {"age_group": "text", **sexes, "persons": "number", "share": "percent"},
    title=view.t("penduduk.broad_title", area=view.name),
    name="kelompok-umur-besar",
)
