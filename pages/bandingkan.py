"""Bandingkan wilayah: two to four areas side by side: headline indicators, pyramids, education and
SP Online completion (each of the last two when loaded for one of the areas)."""

from functools import partial

import streamlit as st

from app import ui
from sensus import charts, indicators
from sensus.i18n import HEADLINE_INDICATORS, indicator_columns, indicator_metadata

view = ui.current_view()
ui.header(view, "bandingkan")
areas = ui.query("compare_options", area=view.code).set_index("code")
below = list(areas.index[areas["parent_code"] == view.code])
beside = [code for code in areas.index[areas["parent_code"] == view.area["parent_code"]] if code != view.code]
around = below or [view.code, *beside]  # by default: the areas below, or this area and others of its parent
chosen = st.multiselect(
    view.t("compare.areas"),
    list(areas.index),
    default=around[:3],
    max_selections=4,
    format_func=lambda code: f"{areas.loc[code, 'name']} ({code})",
    key="bandingkan",
    bind="query-params",
)
if len(chosen) < 2:
    ui.stop_page(view, view.t("compare.too_few"))

names = areas.loc[chosen, "name"]
labels = dict(zip(chosen, names.where(~names.duplicated(keep=False), names + " (" + names.index + ")")))
filters = [view.t("compare.areas") + ": " + ", ".join(labels.values())]
held = frozenset().union(*(ui.facts_held(code).in_area for code in chosen))
headline_columns = {"name": "text", **indicator_columns(*indicators.headline_indicators(held))}


def headline_of(code: str):
    family = ui.cached(indicators.area_indicators, areas.loc[code, "parent_code"], view.period)
    return family[family["code"] == code]


def education_of(code: str):
    by_area = ui.cached(indicators.education_by_child_area, areas.loc[code, "parent_code"], view.period)
    return by_area[by_area["code"] == code]


headline = ui.side_by_side({labels[code]: headline_of(code) for code in chosen})
st.subheader(view.t("compare.indicators"))
ui.data_block(
    view,
    headline,
    headline_columns,
    title=view.t("compare.indicators_title"),
    name="bandingkan-indikator",
    filters=filters,
    expanded=True,
    headers={name: indicator_metadata(name, view.lang)["name"] for name in HEADLINE_INDICATORS},
)

pyramids = ui.side_by_side({labels[code]: ui.cached(indicators.pyramid, code, view.period) for code in chosen})
if pyramids["sex"].notna().any():
    ui.chart(
        view,
        partial(charts.compare_pyramids, pyramids, view.lang),
        pyramids,
        {"name": "text", "age_group": "text", "sex": "sex", "persons": "number", "share": "percent"},
        name="bandingkan-piramida",
        filters=filters,
        headers={"name": view.t("col.area")},
        choices=chosen,
    )
else:
    st.info(view.t("compare.no_pyramids"))

if "education" in held:
    education = ui.side_by_side({labels[code]: education_of(code) for code in chosen})
    ui.chart(
        view,
        partial(charts.education_by_area, education, view.lang, title=view.t("chart.compare_education")),
        education,
        {"name": "text", "education": "education", "persons": "number", "share": "percent", "higher_share": "percent"},
        name="bandingkan-pendidikan",
        filters=filters,
        headers={"name": view.t("col.area")},
        choices=chosen,
    )
else:
    st.info(view.t("missing.compare_education"))

if "online" in held:
    online = ui.side_by_side({labels[code]: ui.query("online_trend", area=code) for code in chosen})
    ui.chart(
        view,
        partial(charts.compare_online, online, view.lang, deadlines=ui.cached(indicators.online_deadlines)),
        online,
        {
            "name": "text",
            "date": "date",
            "base": "number",
            "complete": "number",
            "rate": "percent",
            "target": "percent",
        },
        name="bandingkan-sp-online",
        fact="online",
        filters=filters,
        headers={"name": view.t("col.area")},
        choices=chosen,
    )
else:
    st.info(view.t("missing.compare_online"))
