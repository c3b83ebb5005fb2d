"""Pendidikan: highest education by sex, by age group, and across the areas below."""

from functools import partial

import streamlit as st

from app import ui
from sensus import charts, indicators

view = ui.current_view()
ui.header(view, "pendidikan", caption=f"{view.area_label(markdown=True)} · {view.t('pendidikan.scope')}")
if not view.holds("education"):
    ui.stop_page(view, view.t("missing.education"))
columns = {"education": "education", "persons": "number", "share": "percent"}

for name, function, breakdown in (
    ("pendidikan-jenis-kelamin", indicators.education_by_sex, "sex"),
    ("pendidikan-umur", indicators.education_by_age, "age_group"),
):
    frame = ui.cached(function, view.code, view.period)
    if frame["dataset_id"].isna().all():
        st.info(view.t(f"pendidikan.no_{breakdown}"))
        continue
    chart = charts.education_by_sex if breakdown == "sex" else charts.education_by_age
    ui.chart(
        view,
        partial(chart, frame, view.lang, area=view.name),
        frame,
        {breakdown: "sex" if breakdown == "sex" else "text", **columns},
        name=name,
    )

by_child = ui.cached(indicators.education_by_child_area, view.code, view.period)
if not by_child.empty:
    level = indicators.levels_by_role(view.level)["child"]
    ui.chart(
        view,
        partial(charts.education_by_child_area, by_child, view.lang, level=level),
        by_child,
        {"rank": "number", "code": "text", "name": "text", **columns, "higher_share": "percent"},
        name="pendidikan-per-wilayah",
    )
