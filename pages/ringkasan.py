"""Ringkasan: the headline numbers, how the area compares with its parent (the whole area: which areas
below it stand out), and a map of the areas below. Without population data: the areas the store
holds and what to load; in every case one line naming what is not loaded for the area."""

import math
from functools import partial

import streamlit as st

from app import ui
from sensus import charts, geo, indicators
from sensus.formatting import number, percent, plain, short_date
from sensus.i18n import (
    format_indicator,
    indicator_columns,
    indicator_metadata,
    indicator_short_name,
    indicator_unit,
    level_label,
    level_noun,
    levels_label,
    period_label,
    ratio_in_words,
)

CARD_WIDTH = 210
view = ui.current_view()
ui.header(view, "ringkasan")
missing = [
    fact
    for fact in indicators.FACTS
    if not view.holds(fact) and (view.holds("population") or fact not in ("sex", "age"))  # no population: said once
]
if missing:
    st.info(view.t("missing.facts", facts=", ".join(view.t(f"fact.{fact}") for fact in missing)))
headline_indicators = indicators.headline_indicators(view.facts.in_area)
last = ui.query("online_trend", area=view.code).iloc[-1] if view.holds("online") else None
last_day = None if last is None else last["date"]


def name_of(indicator: str) -> str:
    return indicator_metadata(indicator, view.lang)["name"]


def areas_to_load() -> None:
    """How many areas of each level lie below the area, what is below it, and how to load data."""
    st.subheader(view.t("ringkasan.areas", area=plain(view.name)))
    with st.container(horizontal=True):
        for row in ui.query("areas_below", area=view.code).itertuples():
            st.metric(level_label(row.level, view.lang), number(row.areas, view.lang), border=True, width=220)
    st.caption(view.t("missing.how_to_load"))
    children = ui.query("child_areas", area=view.code)
    if not children.empty:
        ui.data_block(
            view,
            children,
            {"code": "text", "name": "text", "area_km2": "decimal"},
            title=view.t(
                "ringkasan.areas_title", levels=levels_label(children["level"].iloc[0], view.lang), area=view.name
            ),
            name="wilayah",
            fact="areas",
            expanded=True,
            headers={"area_km2": "km²"},
        )


def online_card(card) -> None:
    card.metric(
        indicator_short_name("online_rate", view.lang),
        percent(last["rate"], view.lang, 1),
        border=True,
        delta=view.t(
            "ringkasan.online_delta",
            date=short_date(last_day, view.lang),
            target=percent(last["target"], view.lang, 1),
        )
        if view.holds("online_target")
        else short_date(last_day, view.lang),
        delta_color="off",
        delta_arrow="off",
        help=indicator_metadata("online_rate", view.lang)["definition"],
        width=CARD_WIDTH,
    )


if not view.holds("population"):
    if last is not None:
        online_card(st.container(horizontal=True))
    areas_to_load()
    ui.stop_page(view)

table = ui.cached(indicators.area_indicators, view.code, view.period)
area = table[table["role"] == "area"].iloc[0]
if area["leaves_covered"] < area["leaves"]:  # no data covers the whole area: say how much this covers
    st.warning(
        view.t(
            "ringkasan.partial",
            covered=number(area["leaves_covered"], view.lang),
            leaves=number(area["leaves"], view.lang),
            period=period_label(area["period"], view.lang),
        )
    )
earlier = [period for period in ui.query("population_periods")["period"] if period < (area["period"] or "")]
before = None
if earlier:
    against = st.selectbox(
        view.t("ringkasan.change_since"),
        [None, *earlier[::-1]],
        format_func=lambda period: view.t("ringkasan.no_change") if period is None else period_label(period, view.lang),
        key="sejak",
        bind="query-params",
    )
    before = ui.cached(indicators.headline, view.code, against) if against else None
    if before is not None and before["period"] != against:
        st.caption(view.t("ringkasan.change_other_period", period=period_label(before["period"], view.lang)))


def change(indicator: str) -> str:
    """The card's line under the value: its unit, or its change since the period compared with."""
    if before is None:
        return indicator_unit(indicator, view.lang)
    return view.t(
        "ringkasan.change",
        change=format_indicator(indicator, area[indicator] - before[indicator], view.lang, unit=False, signed=True),
        period=period_label(before["period"], view.lang),
    )


# Cards side by side, as many to a row as the screen holds (a kota's 2.566.701 needs the width); density only
# where the area's km² is known.
cards = st.container(horizontal=True)
for indicator in (name for name in headline_indicators if name != "density" or not math.isnan(area["area_km2"])):
    cards.metric(
        indicator_short_name(indicator, view.lang),
        format_indicator(indicator, area[indicator], view.lang, unit=False),
        border=True,
        delta=change(indicator),
        delta_color="off",
        delta_arrow="auto" if before is not None else "off",
        help=indicator_metadata(indicator, view.lang)["definition"],
        width=CARD_WIDTH,
    )
if last is not None:
    online_card(cards)

parent = view.area["parent_name"]
comparisons = ui.cached(indicators.area_comparisons, view.code, view.period)
child_level = indicators.levels_by_role(view.level)["child"]
if parent:
    st.subheader(view.t("ringkasan.compare", parent=plain(parent)))
elif child_level:
    st.subheader(
        view.t("ringkasan.compare_children", levels=levels_label(child_level, view.lang), area=plain(view.name))
    )
if comparisons.empty:
    st.info(view.t("ringkasan.no_comparison", area=plain(view.name)))
st.markdown(
    "\n".join(
        "- "
        + view.t(
            "compare.sentence",
            indicator=name_of(row.indicator),
            area=plain(row.area),
            parent=plain(row.reference),
            ratio=ratio_in_words(row.ratio, view.lang),
            value=format_indicator(row.indicator, row.value, view.lang),
            parent_value=format_indicator(row.indicator, row.reference_value, view.lang),
        )
        for row in comparisons.itertuples()
    )
)

st.subheader(view.t("ringkasan.map"))
has_children = (table["role"] == "child").any()
map_area = view.code if has_children else view.area["parent_code"]
if map_area:
    if not has_children:
        st.caption(
            view.t(
                "ringkasan.map_siblings",
                area=plain(view.name),
                levels=levels_label(view.level, view.lang),
                parent=plain(parent),
            )
        )
    shown = st.selectbox(
        view.t("ringkasan.map_indicator"),
        [*headline_indicators, *(["online_rate"] if last is not None else [])],
        format_func=name_of,
        key="peta",
        bind="query-params",
    )
    areas = ui.cached(indicators.child_indicators, map_area, last_day, view.period)
    boundary, problem = geo.boundary_from_environment(lang=view.lang)
    if problem:
        st.warning(problem)
    title = view.t("ringkasan.map_title", indicator=name_of(shown), level=level_noun(areas["level"].iloc[0], view.lang))
    online = shown == "online_rate"
    drawn = {
        "data": areas,
        "columns": {"code": "text", "name": "text", **indicator_columns(shown)},
        "name": f"peta-{shown}",
        "fact": "online" if online else "population",
        "on": last_day if online else None,
        "headers": {shown: name_of(shown)},
    }
    if not geo.can_place(areas, boundary):
        st.info(view.t("missing.map"))
        ui.data_block(view, title=title, **drawn)
    else:
        figure = partial(
            geo.map_figure,
            areas,
            shown,
            view.lang,
            boundary,
            chosen=view.code,
            width=charts.PHONE_WIDTH if ui.on_phone() else geo.ASSUMED_MAP_WIDTH_PX,
            colour_label=name_of(shown),
            title=title,
            format_value=lambda value: format_indicator(shown, value, view.lang),
        )
        ui.chart(view, figure, **drawn)

st.subheader(view.t("ringkasan.indicators", area=plain(view.name)))
ui.data_block(
    view,
    table.assign(role=[view.t(f"role.{role}") for role in table["role"]]),
    {"code": "text", "name": "text", "role": "text", **indicator_columns(*headline_indicators)},
    title=view.t("ringkasan.indicators", area=view.name),
    name="indikator",
    headers={indicator: name_of(indicator) for indicator in headline_indicators},
    expanded=True,  # the section's content: the table itself
)
