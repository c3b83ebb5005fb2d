"""SP Online: completion against the target by area, submitted versus complete, the daily trend with
its deadlines, the pace needed on a chosen date, and the villages most in need of attention (what is
measured against the target, when one is loaded)."""

from functools import partial

import streamlit as st

from app import ui
from sensus import charts, indicators
from sensus.formatting import decimal, number, percent, short_date
from sensus.i18n import indicator_metadata

view = ui.current_view()
ui.header(view, "sp_online")
if not view.holds("online"):
    ui.stop_page(view, view.t("missing.online"))
trend = ui.query("online_trend", area=view.code)
on = ui.date_picker(view, trend["date"], view.t("online.date"))
deadlines = ui.cached(indicators.online_deadlines)
today = indicators.status_on(trend, on)
when = short_date(on, view.lang)
date_filter = [f"{view.t('col.date')}: {when}"]


def pace_cards(first: list, second: list) -> None:
    """What is still needed to reach the target by the deadline in force, and the pace needed
    against the pace of the last 7 days."""
    pace = indicators.online_pace(trend, on, ui.cached(indicators.deadline_on, on))
    first[1].metric(
        view.t("online.needed"),
        number(pace.households_needed, view.lang),
        border=True,
        delta=view.t(
            "hover.of", part=number(pace.complete, view.lang), whole=number(pace.target_households, view.lang)
        ),
        delta_color="off",
        delta_arrow="off",
    )
    first[2].metric(
        view.t("online.days_left", deadline=short_date(pace.deadline, view.lang)),
        number(pace.days_left, view.lang),
        border=True,
    )
    if pace.pace_needed is not None:
        pace_needed, pace_note = decimal(pace.pace_needed, view.lang, 0), view.t("online.pace_unit")
    elif pace.households_needed:  # no day left to need a pace for
        pace_needed = "—"
        pace_note = view.t("online.deadline_short", households=number(pace.households_needed, view.lang))
    else:
        pace_needed, pace_note = "—", view.t("online.deadline_met")
    second[0].metric(
        view.t("online.pace_needed"),
        pace_needed,
        border=True,
        delta=pace_note,
        delta_color="off",
        delta_arrow="off",
        help=indicator_metadata("online_pace", view.lang)["definition"],
    )
    second[1].metric(
        view.t("online.pace_last_7_days"),
        decimal(pace.pace_last_7_days, view.lang, 0),
        border=True,
        delta=view.t("online.pace_unit"),
        delta_color="off",
        delta_arrow="off",
    )
    second[2].metric(
        view.t("online.projected"),
        short_date(pace.projected_date, view.lang) if pace.projected_date else view.t("online.projected_never"),
        border=True,
        help=view.t("online.projected_help"),
    )


with_target = view.holds("online_target")
first, second = st.columns(3), st.columns(3)
first[0].metric(
    view.t("online.rate_card", date=when),
    percent(today["rate"], view.lang, 1),
    border=True,
    delta=view.t("ringkasan.target_delta", target=percent(today["target"], view.lang, 1)) if with_target else None,
    delta_color="off",
    delta_arrow="off",
    help=indicator_metadata("online_rate", view.lang)["definition"],
)
if with_target:
    pace_cards(first, second)
else:
    st.info(view.t("missing.online_target"))
ui.chart(
    view,
    partial(charts.online_trend, trend, view.lang, area=view.name, deadlines=deadlines, on=on),
    trend,
    {
        "date": "date",
        "base": "number",
        "submitted": "number",
        "complete": "number",
        "new_submitted": "number",
        "new_complete": "number",
        "rate": "percent",
        "target": "percent",
    },
    name="sp-online-harian",
    fact="online",
    filters=date_filter,
    choices=(on,),
)

by_child = ui.query("online_by_child_area", area=view.code, date=on)
if not by_child.empty:
    level = indicators.levels_by_role(view.level)["child"]
    columns = {
        "code": "text",
        "name": "text",
        "base": "number",
        "submitted": "number",
        "complete": "number",
        "rate": "percent",
        "target": "percent",
        "gap": "number",
    }
    left, right = st.columns(2, gap="large")
    with left:
        ui.chart(
            view,
            partial(charts.online_by_area, by_child, view.lang, level=level, on=on),
            by_child,
            {"rank": "number", **columns},
            name="sp-online-per-wilayah",
            fact="online",
            on=on,
            filters=date_filter,
        )
    with right:
        ui.chart(
            view,
            partial(charts.submitted_vs_complete, by_child, view.lang, level=level, on=on),
            by_child,
            columns,
            name="sp-online-mengirim-selesai",
            fact="online",
            on=on,
            filters=date_filter,
        )
    if level == "district":  # and their villages: from a regency down only, not thousands from higher up
        villages = ui.query("online_villages", area=view.code, date=on)
        ui.chart(
            view,
            partial(charts.online_by_area, villages, view.lang, level="village", on=on),
            villages,
            {"district_name": "text", **columns},
            name="sp-online-per-kelurahan",
            fact="online",
            on=on,
            filters=date_filter,
            headers={"district_name": view.t("col.district")},
        )


def attention_list() -> None:
    """The villages furthest from the target on the day."""
    st.subheader(view.t("online.attention", date=when), help=view.t("online.attention_help"))
    attention = ui.cached(indicators.attention_list, view.code, on)
    if attention.empty:
        st.success(view.t("online.attention_none", date=when))
    else:
        ui.data_block(
            view,
            attention,
            {
                "name": "text",
                "district_name": "text",
                "base": "number",
                "complete": "number",
                "rate": "percent",
                "target": "percent",
                "gap": "number",
            },
            title=view.t("online.attention", date=when),
            name="perlu-perhatian",
            fact="online",
            on=on,
            filters=date_filter,
            headers={"district_name": view.t("col.district")},
            expanded=True,
        )


if with_target:
    attention_list()
