"""ASN: civil servants' SP Online completion by agency (OPD) against the 80% target, and the trend,
on a chosen date (e.g. the coordination meeting of 18 March 2020)."""

from functools import partial

import streamlit as st

from app import ui
from sensus import charts, indicators
from sensus.formatting import number, percent, plain, short_date
from sensus.i18n import indicator_metadata, indicator_short_name

view = ui.current_view()
ui.header(view, "asn")
if not view.holds("asn"):
    ui.stop_page(view, view.t("missing.asn"))
trend = ui.query("asn_trend", area=view.code)
on = ui.date_picker(view, trend["date"], view.t("asn.date"))
when = short_date(on, view.lang)
date_filter = [f"{view.t('col.date')}: {when}"]
today = indicators.status_on(trend, on, "ASN")
regency = next((name for level, name in view.trail if level == "regency"), view.name)
st.caption(view.t("asn.scope", area=plain(regency)))

with st.container(horizontal=True):
    st.metric(
        indicator_short_name("asn_rate", view.lang),
        percent(today["rate"], view.lang, 1),
        border=True,
        width=300,
        delta=view.t("ringkasan.online_delta", date=when, target=percent(today["target"], view.lang, 0)),
        delta_color="off",
        delta_arrow="off",
        help=indicator_metadata("asn_rate", view.lang)["definition"],
    )
    st.metric(
        view.t("asn.count_card"),
        number(today["complete"], view.lang),
        border=True,
        width=300,
        delta=view.t("asn.of_employees", employees=number(today["employees"], view.lang)),
        delta_color="off",
        delta_arrow="off",
    )

ui.chart(
    view,
    partial(charts.asn_trend, trend, view.lang, on=on),
    trend,
    {"date": "date", "employees": "number", "complete": "number", "rate": "percent", "target": "percent"},
    name="asn-harian",
    fact="asn",
    filters=date_filter,
    headers={"complete": view.t("col.asn_complete")},
    choices=(on,),
)
agencies = ui.query("asn_by_agency", area=view.code, date=on)
ui.chart(
    view,
    partial(charts.asn_by_agency, agencies, view.lang, on=on),
    agencies,
    {
        "rank": "number",
        "name": "text",
        "short_name": "text",
        "employees": "number",
        "complete": "number",
        "rate": "percent",
        "target": "percent",
        "gap": "number",
    },
    name="asn-per-opd",
    fact="asn",
    on=on,
    filters=date_filter,
    headers={"name": view.t("col.agency"), "complete": view.t("col.asn_complete")},
)
