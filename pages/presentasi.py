"""Presentasi: the rakor briefing on a projector. One message a slide, in large type, with no
sidebar; the arrow keys step through the slides (left, right) and the kecamatan (up, down); the
slide, the area and the date are in the address, so a presenter can share or reopen it. The deck,
the offline briefing and a PNG card of the slide download from here."""

from datetime import date
from functools import partial
from html import escape

import streamlit as st

from app import ui
from sensus import briefing, deck, indicators
from sensus.formatting import plain
from sensus.i18n import LANGUAGE_NAMES, LANGUAGES

SLIDE_KEY = "slide"
CHART_HEIGHT = 560
STYLE = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {
  display: none; }
.block-container { padding-top: 1.2rem; max-width: 1500px; }
.rakor-kicker { font-size: 1.4rem; color: #595959; margin: 0; }
.rakor-headline { font-size: 3rem; font-weight: 700; line-height: 1.15; margin: 0.2rem 0 0.8rem; }
.rakor-area { font-size: 4.5rem; font-weight: 700; margin: 2rem 0 0.5rem; }
.rakor-stamp { font-size: 1rem; color: #595959; }
.rakor-synthetic { color: #B03A00; font-weight: 700; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
[data-testid="stMetricValue"] div, [data-testid="stMetricLabel"] p { white-space: normal; overflow: visible; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem; }
</style>"""

view = ui.current_view()
held = briefing.presentable(ui.facts_held(view.code).in_area)
if not held & briefing.PRESENTABLE:  # said before the style hides the sidebar, where another area is chosen
    ui.stop_page(view, view.t("missing.nothing"))
st.html(STYLE)
slide_place, controls = st.container(), st.container()


def set_state(updates: dict) -> None:
    for key, value in updates.items():
        st.session_state[key] = value


def step_areas() -> list[tuple[str, dict]]:
    """The areas the presenter steps through, each with the filter state that selects it: the
    city (or the kecamatan, from a kelurahan) first, then each area below it."""
    base = (
        view.area
        if view.level in ("nation", "province", "regency")
        else ui.cached(indicators.area, view.area["parent_code"])
    )
    children = ui.query("child_areas", area=base["code"])
    if children.empty:
        return [(view.code, {})]
    key = ui.AREA_PARAMETERS[children["level"].iloc[0]]
    villages = ui.AREA_PARAMETERS["village"]
    clear = {villages: ""} if key != villages else {}
    return [(base["code"], {key: "", **clear}), *((code, {key: code, **clear}) for code in children["code"])]


series = briefing.dated_series(held)
if series:
    with controls, st.container(width=260):
        on: date = ui.date_picker(
            view, ui.query(briefing.SERIES[series][0], area=view.code)["date"], view.t("rakor.date")
        )
else:  # the population alone: the briefing is of today
    on = date.today()

try:
    content = ui.cached(briefing.assemble, view.code, on, view.lang)
except briefing.BriefingError as error:
    st.error(plain(str(error)))
    st.stop()
keys = list(content.keys)
with controls:
    buttons = st.container(horizontal=True, vertical_alignment="center")
    previous_place, next_place = buttons.empty(), buttons.empty()
    if SLIDE_KEY not in st.session_state and SLIDE_KEY not in st.query_params:
        st.session_state[SLIDE_KEY] = keys[0]
    with buttons:
        chosen = st.segmented_control(
            view.t("rakor.slide_label"),
            keys,
            format_func=lambda key: str(keys.index(key) + 1),
            key=SLIDE_KEY,
            bind="query-params",
            label_visibility="collapsed",
        )
position = keys.index(chosen) if chosen in keys else 0
slide = content.slide(keys[position])

with slide_place:
    if slide.key == "title":
        st.html(
            f'<p class="rakor-kicker">{escape(slide.title)}</p><p class="rakor-area">{escape(content.name)}</p>'
            f'<p class="rakor-headline">{escape(slide.headline)}</p>'
        )
    else:
        st.html(
            f'<p class="rakor-kicker">{escape(slide.title)}</p><p class="rakor-headline">{escape(slide.headline)}</p>'
        )
    figure = briefing.figure(content, slide.key)
    if figure is not None:
        figure.update_layout(
            title=None,
            height=CHART_HEIGHT,
            font_size=22,
            legend_font_size=20,
            margin_t=60 if figure.layout.showlegend is not False else 20,
        )
        if slide.key == "asn_agencies":  # every agency named: the room looks for its own
            figure.update_layout(height=150 + 14 * len(slide.data))
            figure.update_yaxes(dtick=1, tickfont_size=13)
        st.plotly_chart(figure, width="stretch", theme=None, config=ui.PLOTLY_CONFIG, key=f"slide-{slide.key}")
    elif slide.key == "indicators":
        cards = [*st.columns(4), *st.columns(4)]
        for card, row in zip(cards, slide.data.itertuples()):
            card.metric(row.label, row.text, border=True)
    elif slide.key == "sources":
        st.markdown("\n".join(f"- **{plain(row.label)}**: {plain(row.text)}" for row in slide.data.itertuples()))
    if slide.note:
        st.caption(slide.note)
    lines = [escape(line) for line in content.stamp_lines]
    if content.synthetic:
        lines[-1] = f'<span class="rakor-synthetic">{lines[-1]}</span>'
    st.html(f'<p class="rakor-stamp">{" · ".join(lines)}</p>')

with controls:
    areas = step_areas()
    here = next((index for index, (code, _) in enumerate(areas) if code == view.code), 0)
    previous_place.button(
        view.t("rakor.previous"),
        icon=":material/arrow_back:",
        shortcut="Left",
        disabled=position == 0,
        on_click=set_state,
        args=({SLIDE_KEY: keys[max(position - 1, 0)]},),
        key="previous",
    )
    next_place.button(
        view.t("rakor.next"),
        icon=":material/arrow_forward:",
        shortcut="Right",
        type="primary",
        disabled=position == len(keys) - 1,
        on_click=set_state,
        args=({SLIDE_KEY: keys[min(position + 1, len(keys) - 1)]},),
        key="next",
    )
    with buttons:
        st.button(
            view.t("rakor.previous_area"),
            icon=":material/arrow_upward:",
            shortcut="Up",
            disabled=len(areas) < 2,
            on_click=set_state,
            args=(areas[(here - 1) % len(areas)][1],),
            key="previous-area",
        )
        st.button(
            view.t("rakor.next_area"),
            icon=":material/arrow_downward:",
            shortcut="Down",
            disabled=len(areas) < 2,
            on_click=set_state,
            args=(areas[(here + 1) % len(areas)][1],),
            key="next-area",
        )
        other = next(lang for lang in LANGUAGES if lang != view.lang)
        st.button(
            LANGUAGE_NAMES[other],
            icon=":material/translate:",
            on_click=set_state,
            args=({ui.LANGUAGE_PARAMETER: other},),
            key="language",
        )
    with st.container(horizontal=True, vertical_alignment="center"):
        file_name = f"rakor-{content.code}-{on:%Y-%m-%d}-{view.lang}"
        st.download_button(
            view.t("rakor.download_deck"),
            data=partial(deck.to_pptx, content),
            file_name=f"{file_name}.pptx",
            on_click="ignore",
            icon=":material/slideshow:",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key="download-deck",
        )
        st.download_button(
            view.t("rakor.download_briefing"),
            data=partial(briefing.to_html, content),
            file_name=f"{file_name}.html",
            mime="text/html",
            on_click="ignore",
            icon=":material/description:",
            key="download-briefing",
        )
        if figure is not None:
            problem = briefing.card_problem(view.lang)
            st.download_button(
                view.t("rakor.download_card"),
                data=partial(briefing.card_png, content, slide.key),
                file_name=f"{file_name}-{slide.key}.png",
                mime="image/png",
                on_click="ignore",
                icon=":material/image:",
                disabled=problem is not None,
                help=problem,
                key="download-card",
            )
            if problem:
                st.caption(problem)
        st.page_link(ui.PAGES[0][0], label=view.t("rakor.exit"), icon=":material/close:")
    st.caption(view.t("rakor.keys"))
