"""Presentasi: the rakor briefing on a projector. One message a slide, in type sized to the screen,
with no sidebar: each slide fits the browser window it is shown in, without scrolling, above a
small control bar that stays faint until the mouse is on it. The arrow keys step through the slides
(left, right) and the kecamatan (up, down); the slide, the area and the date are in the address, so
a presenter can share or reopen it. The deck, the offline briefing and a PNG card of the slide
download from the bar."""

import math
from datetime import date
from functools import partial
from html import escape

import streamlit as st

from app import ui
from app.screen import window_size
from sensus import briefing, deck, indicators
from sensus.formatting import plain
from sensus.i18n import LANGUAGE_NAMES, LANGUAGES

SLIDE_KEY = "slide"
BAR = 56  # px: the control bar under the slide, outside the projected image
# Text heights as shares of the screen height: a room reads chart text from 3% up.
CHART_TEXT, KICKER, HEADLINE, STAMP, NOTE = 0.032, 0.032, 0.058, 0.022, 0.022
MARGIN = 0.03  # of the width, each side
STYLE = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {
  display: none; }
.block-container { padding: 1.5vh 3vw 0; max-width: none; }
/* the frame's synthetic-data notice above the page (an expander, or a warning): on a slide its stamp says it */
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
  > :is(:has(> [data-testid="stExpander"]), :has(> [data-testid="stAlert"])) { display: none; }
/* the frame's footer, under the bar: the slide's stamp names the data */
[data-testid="stLayoutWrapper"]:has(> .st-key-rakor-bar) ~ * { display: none; }
.rakor-kicker { font-size: 3.2vh; line-height: 1.2; color: #595959; margin: 0; }
.rakor-headline { font-size: 5.8vh; font-weight: 700; line-height: 1.15; margin: 0.4vh 0 0; }
.rakor-area { font-size: 9vh; font-weight: 700; line-height: 1.15; margin: 6vh 0 1vh; }
.rakor-stamp { font-size: 2.2vh; line-height: 1.2; color: #595959; margin: 0; }
.rakor-note { font-size: 2.2vh; line-height: 1.2; color: #595959; margin: 0; }
.rakor-synthetic { color: #B03A00; font-weight: 700; }
.rakor-sources { columns: 2; column-gap: 3vw; font-size: 2.1vh; line-height: 1.25; margin: 0; padding: 0; }
.rakor-sources li { break-inside: avoid; margin: 0 0 0.6vh 1.2em; }
[data-testid="stMetricValue"] { font-size: min(6vh, 2.8vw); }
[data-testid="stMetricValue"] div, [data-testid="stMetricLabel"] p { white-space: normal; overflow: visible; }
[data-testid="stMetricLabel"] p { font-size: 3.2vh; line-height: 1.15; }
.st-key-rakor-bar { position: fixed; left: 0; right: 0; bottom: 0; height: BAR_HEIGHTpx; z-index: 999990;
  padding: 0 1vw; background: #f4f4f4; border-top: 1px solid #ddd; flex-wrap: nowrap; overflow: hidden;
  opacity: 0.35; transition: opacity 0.2s; }
.st-key-rakor-bar { gap: 0.4rem; }
.st-key-rakor-bar > :first-child { display: none; }  /* the window-size reporter draws nothing */
.st-key-rakor-bar [data-testid="stButtonGroup"] button { padding: 0 0.55rem; min-width: 0; }
.st-key-rakor-bar:hover, .st-key-rakor-bar:focus-within { opacity: 1; }
.st-key-rakor-bar [data-testid="stWidgetLabel"] { display: none; }
.st-key-rakor-bar .stButton:not(.st-key-language) button p, .st-key-rakor-bar [data-testid="stPageLink"] p {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
</style>""".replace("BAR_HEIGHT", str(BAR))


def text_height(text: str, share: float, screen: tuple[int, int], *, width_share: float = 1 - 2 * MARGIN) -> float:
    """The height in px of a paragraph of `text` set at `share` of the screen height, at about half
    an em a character, wrapped to the slide's width."""
    width, height = screen
    size = share * height
    lines = math.ceil(len(text) * 0.52 * size / (width * width_share)) or 1
    return lines * size * 1.2


view = ui.current_view()
held = briefing.presentable(view.facts.in_area)
if not held & briefing.PRESENTABLE:  # said before the style hides the sidebar, where another area is chosen
    ui.stop_page(view, view.t("missing.nothing"))
st.html(STYLE)
slide_place = st.container()
controls = st.container(key="rakor-bar", horizontal=True, vertical_alignment="center", gap="small")
with controls:
    screen = window_size()


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
    with controls, st.container(width=135):
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
    previous_place = st.empty()
    if SLIDE_KEY not in st.session_state and SLIDE_KEY not in st.query_params:
        st.session_state[SLIDE_KEY] = keys[0]
    chosen = st.segmented_control(
        view.t("rakor.slide_label"),
        keys,
        format_func=lambda key: str(keys.index(key) + 1),
        key=SLIDE_KEY,
        bind="query-params",
        label_visibility="collapsed",
    )
    next_place = st.empty()
position = keys.index(chosen) if chosen in keys else 0
slide = content.slide(keys[position])

lines = [escape(line) for line in content.stamp_lines]
if content.synthetic:
    lines[-1] = f'<span class="rakor-synthetic">{lines[-1]}</span>'
stamp = " · ".join(content.stamp_lines)
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
        gap = 16  # px between the elements of the page
        taken = (
            screen[1] * 0.015
            + text_height(slide.title, KICKER, screen)
            + text_height(slide.headline, HEADLINE, screen)
            + (text_height(slide.note, NOTE, screen) + gap if slide.note else 0)
            + text_height(stamp, STAMP, screen)
            + 3 * gap
            + BAR
            + 12
        )
        briefing.projected(figure, height=int(screen[1] - taken), text_size=math.ceil(CHART_TEXT * screen[1]))
        st.plotly_chart(figure, width="stretch", theme=None, config=ui.PLOTLY_CONFIG, key=f"slide-{slide.key}")
    elif slide.key == "indicators":
        cards = [*st.columns(4), *st.columns(4)]
        for card, row in zip(cards, slide.data.itertuples()):
            card.metric(row.label, row.text, border=True)
    elif slide.key == "sources":
        st.html(
            '<ul class="rakor-sources">'
            + "".join(f"<li><b>{escape(row.label)}</b>: {escape(row.text)}</li>" for row in slide.data.itertuples())
            + "</ul>"
        )
    if slide.note:
        st.html(f'<p class="rakor-note">{escape(slide.note)}</p>')
    st.html(f'<p class="rakor-stamp">{" · ".join(lines)}</p>')

with controls:
    areas = step_areas()
    here = next((index for index, (code, _) in enumerate(areas) if code == view.code), 0)
    previous_place.button(
        view.t("rakor.previous"),
        help=view.t("rakor.previous"),
        icon=":material/arrow_back:",
        shortcut="Left",
        disabled=position == 0,
        on_click=set_state,
        args=({SLIDE_KEY: keys[max(position - 1, 0)]},),
        key="previous",
    )
    next_place.button(
        view.t("rakor.next"),
        help=view.t("rakor.next"),
        icon=":material/arrow_forward:",
        shortcut="Right",
        type="primary",
        disabled=position == len(keys) - 1,
        on_click=set_state,
        args=({SLIDE_KEY: keys[min(position + 1, len(keys) - 1)]},),
        key="next",
    )
    st.button(
        view.t("rakor.previous_area"),
        help=view.t("rakor.previous_area"),
        icon=":material/arrow_upward:",
        shortcut="Up",
        disabled=len(areas) < 2,
        on_click=set_state,
        args=(areas[(here - 1) % len(areas)][1],),
        key="previous-area",
    )
    st.button(
        view.t("rakor.next_area"),
        help=view.t("rakor.next_area"),
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
    # Made when the menu opens, once per area, date and language, and given as bytes: a file made on the
    # click belongs to no session, and other sessions' runs can delete it before the browser fetches it.
    downloads = st.popover(
        view.t("rakor.downloads"), icon=":material/download:", key="rakor-downloads", on_change="rerun"
    )
    with downloads:
        file_name = f"rakor-{content.code}-{on:%Y-%m-%d}-{view.lang}"
        about = (content.code, on, view.lang)
        if downloads.open:
            st.download_button(
                view.t("rakor.download_deck"),
                data=ui.made_once("deck", partial(deck.to_pptx, content), *about),
                file_name=f"{file_name}.pptx",
                on_click="ignore",
                icon=":material/slideshow:",
                mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                key="download-deck",
            )
            st.download_button(
                view.t("rakor.download_briefing"),
                data=ui.made_once("briefing", partial(briefing.to_html, content), *about),
                file_name=f"{file_name}.html",
                mime="text/html",
                on_click="ignore",
                icon=":material/description:",
                key="download-briefing",
            )
        if downloads.open and figure is not None:
            problem = briefing.card_problem(view.lang)  # cards need a Chromium on the server
            card = partial(briefing.card_png, content, slide.key)
            st.download_button(
                view.t("rakor.download_card"),
                data=b"" if problem else ui.made_once("card", card, *about, slide.key),
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
        st.caption(view.t("rakor.keys"))
    st.page_link(ui.PAGES[0][0], label=view.t("rakor.exit"), icon=":material/close:", help=view.t("rakor.exit"))
