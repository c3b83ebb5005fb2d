"""The dashboard's Streamlit layer: the pages, the cached store connection and core
calls, the frame's widgets (language, area filter), the "Lihat data" block and the footer.

Everything else in sensus/ is plain Python; pages read the view, call the core through `cached`
and `query`, and draw with the chart builders.
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib
import json
import os
import pickle
import runpy
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import queries
from sensus import charts, exports, formatting, indicators, integrity, privacy, store
from sensus.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGES,
    dataset_description,
    level_label,
    levels_label,
    period_label,
    t,
)

# The pages in menu order: script, URL path, icon. A page's title is page.<URL path> in the catalog.
PAGES = (
    ("pages/ringkasan.py", "ringkasan", ":material/dashboard:"),
    ("pages/penduduk.py", "penduduk", ":material/groups:"),
    ("pages/pendidikan.py", "pendidikan", ":material/school:"),
    ("pages/sp_online.py", "sp_online", ":material/how_to_reg:"),
    ("pages/asn.py", "asn", ":material/badge:"),
    ("pages/bandingkan.py", "bandingkan", ":material/compare_arrows:"),
    ("pages/data_metode.py", "data_metode", ":material/dataset:"),
    ("pages/presentasi.py", "presentasi", ":material/slideshow:"),
)
# The pages that need data: each is in the menu when the store holds at least one of these kinds
# (indicators.FACTS); the others always are.
PAGE_NEEDS = {
    "penduduk": {"population"},
    "pendidikan": {"education"},
    "sp_online": {"online"},
    "asn": {"asn"},
    "bandingkan": {"population"},
    "presentasi": {"population", "online", "asn"},
}
# What is named in a synthetic notice: the census facts (a sample's areas are real ones).
CENSUS_FACTS = ("population", "online", "asn")

# URL parameter of the area select for each level (the value is the area's name).
AREA_PARAMETERS = {
    "nation": "negara",
    "province": "provinsi",
    "regency": "kabkota",
    "district": "kecamatan",
    "village": "kelurahan",
}
LANGUAGE_PARAMETER = "lang"
ROOT_PAGE = "beranda"  # the hidden page at the root address: the first page's script (see pages)
VIEW_KEY = "_sensus_view"
SNAPSHOT_KEY = "_sensus_store"
ROOT = Path(__file__).resolve().parent.parent  # where dashboard.py and pages/ are
DASHBOARD = ROOT / "dashboard.py"
CACHE_ENTRIES = 512
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
PHONE_CONFIG = {"displayModeBar": False}


@dataclass(frozen=True)
class View:
    """What the frame set for this run: the language, the area (with the choices that led to it) and the
    population period (None: the latest)."""

    lang: str
    area: dict
    trail: tuple[tuple[str, str], ...] = field(default=())  # (level, name) from the top level down
    period: str | None = None

    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    @property
    def code(self) -> str:
        return self.area["code"]

    @property
    def name(self) -> str:
        """The area's name as a label: within formatting.NAME_LIMIT characters (full_name whole)."""
        return formatting.shortened(self.full_name)

    @property
    def full_name(self) -> str:
        return self.area["name"]

    @property
    def level(self) -> str:
        return self.area["level"]

    def area_label(self, markdown: bool = False) -> str:
        """Kota Lama, Kota Kupang (53.71.06); with `markdown`, the names escaped to show as written."""
        names = [formatting.shortened(name) for _, name in reversed(self.trail)] or [self.name]
        shown = map(formatting.plain, names) if markdown else names
        return f"{', '.join(shown)} ({self.code})"

    def area_filters(self) -> list[str]:
        return [f"{level_label(level, self.lang)}: {name}" for level, name in self.trail]

    @functools.cached_property
    def facts(self) -> indicators.FactsHeld:
        return facts_held(self.code)

    def holds(self, fact: str) -> bool:
        """Whether the store holds this kind of data (indicators.FACTS) for the area."""
        return fact in self.facts.in_area


# ---------------------------------------------------------------- pages


def pages(lang: str) -> list[st.Page]:
    """The pages with something to show in this store (PAGE_NEEDS), each at its own address; a link to
    another falls back to the first. The first is also the app's root address, through a hidden copy:
    Streamlit serves its default page at the root only, so a default first page would make its own
    address "Page not found"."""
    held = facts_held().in_store
    shown = [
        (ROOT / script, dict(title=t(f"page.{url_path}", lang), icon=icon), url_path)
        for script, url_path, icon in PAGES
        if url_path not in PAGE_NEEDS or PAGE_NEEDS[url_path] & held
    ]
    script, labels, _ = shown[0]
    root = st.Page(script, **labels, url_path=ROOT_PAGE, default=True, visibility="hidden")
    return [root, *(st.Page(script, **labels, url_path=url_path) for script, labels, url_path in shown)]


UPLOAD_PAGE = ("pages/unggah.py", "unggah", ":material/upload_file:")


def admin_password() -> str | None:
    """The administrators' password: admin_password in Streamlit secrets, else $SENSUS_ADMIN_PASSWORD.
    Without one the upload page is not offered."""
    try:
        password = st.secrets.get("admin_password")
    except FileNotFoundError:  # no secrets file
        password = None
    return password or os.environ.get("SENSUS_ADMIN_PASSWORD") or None


def upload_page(lang: str) -> st.Page:
    script, url_path, icon = UPLOAD_PAGE
    return st.Page(ROOT / script, title=t(f"page.{url_path}", lang), icon=icon, url_path=url_path)


def current_view() -> View:
    """The view the frame set for this run. A deep link that is the very first request after the
    server starts runs its page file bare, without dashboard.py (Streamlit serves pages/ itself
    until some session has called st.navigation; AppTest does so on every run); such a run draws
    dashboard.py, and so the frame around the page, in its place."""
    view = st.session_state.get(VIEW_KEY)
    if view is None:
        runpy.run_path(str(DASHBOARD))
        st.stop()
    return view


# ---------------------------------------------------------------- the store and cached core calls


def open_store(lang: str) -> None:
    """Take the snapshot of the store that every query of this run reads (store.Snapshot), making sure it
    can be served (sensus.integrity), or end the run with what is wrong and what to run; say so when the
    sample has just been built at the default path. A store replaced during the run is read from the next."""
    try:
        path, built = integrity.ensure_store()
        snapshot = integrity.opened(path, _latest().get)
        _verify(snapshot.key, snapshot)
    except integrity.StoreProblem as problem:
        st.error(problem.message_in(lang), icon=":material/error:")
        st.stop()
    st.session_state[SNAPSHOT_KEY] = snapshot
    if built:
        st.info(t("store.built", lang, path=str(path)), icon=":material/science:")


@st.cache_resource(show_spinner=False)
def _latest() -> store.Latest:
    return store.Latest()


@st.cache_resource(max_entries=2, show_spinner=False)
def _verify(key: store.Identity, _snapshot: store.Snapshot) -> None:
    """Each store file is read through once; a damaged one raises, and raises again on the next run."""
    integrity.verify(_snapshot)


def store_in_force() -> store.Snapshot:
    """The store as this run reads it (open_store)."""
    return st.session_state[SNAPSHOT_KEY]


# Query and core results are shared by every run that asks the same question, as they are: never
# pickled and unpickled per run (a third of a cached call's cost), so never changed by a page
# (tests/test_pages.py checks that every page leaves them as they were).
@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _query(key: store.Identity, _con: duckdb.DuckDBPyConnection, name: str, params: tuple) -> pd.DataFrame:
    return queries.run(_con, name, **dict(params))


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _core(key: store.Identity, _con: duckdb.DuckDBPyConnection, function: str, args: tuple):
    module, name = function.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)(_con, *args)


def query(name: str, **params) -> pd.DataFrame:
    """queries/<name>.sql with its parameters, cached."""
    snapshot = store_in_force()
    return _query(snapshot.key, snapshot.con, name, tuple(sorted(params.items())))


def cached(function: Callable, *args):
    """A core function of (connection, *args), e.g. indicators.pyramid, cached on its arguments."""
    snapshot = store_in_force()
    return _core(snapshot.key, snapshot.con, f"{function.__module__}.{function.__qualname__}", args)


def facts_held(code: str | None = None) -> indicators.FactsHeld:
    """The kinds of data the store holds, in all and for the area `code`."""
    return cached(indicators.facts_held, code)


# ---------------------------------------------------------------- the frame


def language() -> str:
    """The language of this run, known before the switch is drawn (the page titles need it): the switch's
    own state, else the address's, else Indonesian."""
    chosen = st.session_state.get(LANGUAGE_PARAMETER)
    if chosen is None:
        shown = st.query_params.get(LANGUAGE_PARAMETER, "")
        chosen = next((code for code, name in LANGUAGE_NAMES.items() if name.lower() == shown.lower()), None)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def language_switch() -> None:
    """The ID / EN switch; its choice is read at the start of the next run (language). Drawn after
    st.navigation: a widget drawn before it belongs to the page that was open, and its choice is lost
    with the address's parameter when another page opens."""
    st.sidebar.segmented_control(
        t("language.label", DEFAULT_LANGUAGE),
        LANGUAGES,
        default=DEFAULT_LANGUAGE,
        required=True,
        format_func=LANGUAGE_NAMES.get,
        key=LANGUAGE_PARAMETER,
        bind="query-params",
    )


def area_filter(lang: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """One select per level, from the top-level areas in the store down: the choices of each level
    follow the one above, and 'all' stops there. Returns the chosen area's code and the trail of
    (level, name) that led to it. The selects are kept in the URL (their names as values)."""
    st.sidebar.subheader(t("filter.header", lang), help=t("filter.help", lang))
    options = query("child_areas", area=None)
    if options.empty:
        st.error(t("footer.no_dataset", lang))
        st.stop()
    chosen, trail, drawn = None, [], set()
    while not options.empty:
        level = options["level"].iloc[0]
        names = dict(zip(options["code"], options["name"]))
        if chosen is None and len(options) == 1:
            picked = options["code"].iloc[0]
        else:
            everything = [] if chosen is None else [""]
            picked = st.sidebar.selectbox(
                level_label(level, lang),
                [*everything, *names],
                # An unknown code must fail here: Streamlit then falls back to the default option.
                format_func=lambda code, names=names, level=level: (
                    names[code] if code else t("filter.all", lang, levels=levels_label(level, lang))
                ),
                key=AREA_PARAMETERS.get(level, level),
                bind="query-params",
                on_change=_forget_below,
                args=(level,),
            )
        drawn.add(AREA_PARAMETERS.get(level, level))
        if not picked:
            break
        chosen = picked
        trail.append((level, names[picked]))
        options = query("child_areas", area=chosen)
    # An address may name an area at a level whose select is not drawn (a kelurahan without its kecamatan):
    # dropped, or it would come back when that select is first drawn. (A select drawn before in this
    # session holds its own state, which _forget_below resets.)
    for parameter in set(AREA_PARAMETERS.values()) - drawn - set(st.session_state):
        st.query_params.pop(parameter, None)
    return chosen, tuple(trail)


def _forget_below(level: str) -> None:
    """A new choice at one level starts the levels below it at 'all' (their selects and URL parameters):
    they then show the whole of the new area, not the area chosen there before, which Streamlit keeps
    for a bound select it has not drawn since."""
    levels = list(AREA_PARAMETERS)
    for lower in levels[levels.index(level) + 1 :] if level in levels else []:
        if AREA_PARAMETERS[lower] in st.session_state:
            st.session_state[AREA_PARAMETERS[lower]] = ""


def period_filter(lang: str) -> str | None:
    """The population period to show, when the data holds several: the latest by default, kept in the URL."""
    periods = query("population_periods")["period"].tolist()
    if len(periods) < 2:
        return None
    chosen = st.sidebar.selectbox(
        t("filter.period", lang),
        periods[::-1],
        format_func=lambda period: period_label(period, lang),
        help=t("filter.period_help", lang),
        key="periode",
        bind="query-params",
    )
    return None if chosen in (None, periods[-1]) else chosen


@contextmanager
def frame(lang: str, code: str, trail: tuple[tuple[str, str], ...], period: str | None = None) -> Iterator[View]:
    """The view of this run, held for the page while it runs inside the frame (see current_view)."""
    st.session_state[VIEW_KEY] = View(lang=lang, area=cached(indicators.area, code), trail=trail, period=period)
    try:
        yield st.session_state[VIEW_KEY]
    finally:
        del st.session_state[VIEW_KEY]


def current_datasets() -> pd.DataFrame:
    return query("current_datasets")


def synthetic_notice(view: View) -> None:
    """A notice at the top of every page when data in force is synthetic: one line that opens to say
    what that means, naming which data when files loaded since have replaced the rest."""
    detail = _synthetic_detail(store_in_force().key, view.lang)
    if detail:
        with st.expander(f":orange[**{view.t('synthetic.notice')}**]", icon=":material/science:"):
            st.warning(f"**{view.t('synthetic.notice')}.** {detail}")


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _synthetic_detail(key: store.Identity, lang: str) -> str | None:
    """What the synthetic notice says for the store `key` (the one this run reads), or None when no census
    fact in force is synthetic."""
    held = [fact for fact in CENSUS_FACTS if fact in facts_held().in_store]
    synthetic_in_force = set(current_datasets().query("synthetic")["fact"])
    synthetic = [fact for fact in held if fact in synthetic_in_force]
    if not synthetic:
        return None
    if synthetic == held:
        return t("synthetic.detail", lang)
    return t("synthetic.partial", lang, facts=", ".join(t(f"fact.{fact}", lang) for fact in synthetic))


def markdown_description(dataset, lang: str) -> str:
    """dataset_description with the values from the loaded file (its name, kind, area) escaped for markdown."""
    values = {key: formatting.plain(value) for key, value in json.loads(dataset["description_values"]).items()}
    return dataset_description(
        {"description_key": dataset["description_key"], "description_values": json.dumps(values)}, lang
    )


def footer(view: View) -> None:
    """The dataset in force for each kind of fact, with its source and date, on every page."""
    st.divider()
    for caption in _footer_captions(store_in_force().key, view.lang):
        st.caption(caption)


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _footer_captions(key: store.Identity, lang: str) -> tuple[str, ...]:
    """The footer's lines for the store `key` (the one this run reads): a line for each dataset in force,
    then the protection in force."""
    datasets = current_datasets()
    if datasets.empty:
        return (t("footer.no_dataset", lang),)
    captions = []
    for _, rows in datasets.groupby("id", sort=False):
        row = rows.iloc[0]
        facts = ", ".join(fact_label(dataset["fact"], dataset, lang) for _, dataset in rows.iterrows())
        synthetic = f" — **{t('synthetic.notice', lang)}**" if row["synthetic"] else ""
        loaded = formatting.long_date(row["loaded_at"], lang)
        captions.append(
            t("footer.dataset", lang, description=markdown_description(row, lang))
            + synthetic
            + "  \n"
            + t("footer.facts", lang, facts=facts)
            + " · "
            + t(
                "footer.provenance",
                lang,
                source=formatting.plain(row["source_file"]),
                date=loaded,
                digest=row["sha256"][:12],
            )
        )
    return (*captions, privacy.mode_label(lang))


def fact_label(fact: str, dataset: pd.Series, lang: str) -> str:
    """What a dataset is in force for (its row of current_datasets for `fact`): a population dataset names its
    dimensions and its periods."""
    if fact != "population":
        return t(f"fact.{fact}", lang)
    dimensions = list(dataset["dimensions"]) if dataset["dimensions"] is not None else []
    label = (
        t("fact.population_by", lang, dimensions=", ".join(t(f"dimension.{name}", lang) for name in dimensions))
        if dimensions
        else t("fact.population", lang)
    )
    periods = [period_label(period, lang) for period in dataset["periods"]]
    span = periods[0] if len(periods) == 1 else f"{periods[0]} – {periods[-1]}"
    return f"{label} ({t('period.of_data', lang, periods=span)})"


# ---------------------------------------------------------------- page parts


def stop_page(view: View, message: str | None = None) -> None:
    """End the page early, with a message if given; the footer still closes it."""
    if message:
        st.info(message)
    footer(view)
    st.stop()


def header(view: View, page: str, caption: str | None = None) -> None:
    whole = formatting.plain(view.full_name) if view.name != view.full_name else None  # on hover, where cut
    st.title(f"{view.t(f'page.{page}')} · {formatting.plain(view.name)}", help=whole)
    st.caption(caption or view.area_label(markdown=True))


def date_picker(view: View, dates: pd.Series, label: str, *, key: str = "tanggal") -> date:
    """A date within the data's dates (the last one by default), kept in the URL."""
    first, last = dates.min(), dates.max()
    chosen = st.date_input(
        label, value=last, min_value=first, max_value=last, format="DD/MM/YYYY", key=key, bind="query-params"
    )
    return chosen or last


def chart(
    view: View,
    figure: Callable[[], go.Figure],
    data: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    name: str,
    fact: str = "population",
    on: date | None = None,
    filters: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    choices: Sequence = (),
) -> None:
    """A chart, with the exact numbers it draws under "Lihat data" and as downloads.

    The figure is given as a builder (e.g. partial(charts.pyramid, frame, ...)): it is built once per store,
    language, area, period, chart name, date, filters and `choices` (whatever else the page chose that the
    figure depends on), and every run that asks the same question draws that one."""
    phone = on_phone()  # a narrow screen: no toolbar over the title, which wraps
    question = (store_in_force().key, view.lang, view.code, view.period, name, on, tuple(filters), tuple(choices))
    drawn, title = _figure(question, phone, figure)
    st.plotly_chart(
        drawn, width="stretch", theme=None, config=PHONE_CONFIG if phone else PLOTLY_CONFIG, key=f"chart-{name}"
    )
    data_block(view, data, columns, title=title or name, name=name, fact=fact, on=on, filters=filters, headers=headers)


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _figure(question: tuple, phone: bool, _build: Callable[[], go.Figure]) -> tuple[go.Figure, str]:
    """A chart's figure for the screen (narrowed on a phone) and its title and subtitle as text, built once
    per question and shared (never changed) by every run that asks it: plotly's building and checking of a
    figure costs more than its query."""
    figure = _build()
    titles = (figure.layout.title.text, figure.layout.title.subtitle.text)  # as plotly reads them, escaped
    title = " · ".join(html.unescape(text) for text in titles if text)
    return (charts.narrow(figure) if phone else figure), title


def on_phone() -> bool:
    """Whether the browser says it is a phone (a "Mobi" user agent, as phone browsers send and tablets do not)."""
    return "Mobi" in (st.context.headers.get("User-Agent") or "")


DATA_KEY = "data-"  # the key of a "Lihat data" block is this and its name


def data_block(
    view: View,
    data: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    title: str,
    name: str,
    fact: str = "population",
    on: date | None = None,
    filters: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    expanded: bool = False,
) -> None:
    """The "Lihat data" expander: what small-cell protection does to the counts, if they are protected (the
    footer says it for the page), the table in the language, and CSV/XLSX downloads whose header names the
    source dataset, the area, the date and the filters. The table and the downloads are made only while the
    block is open, once per store, view, block and data; opening it reruns the block alone."""
    _data_block(view, data, columns, title, name, fact, on, tuple(filters), headers, expanded)


def _fingerprint(data: pd.DataFrame) -> str:
    """The data's digest, with its attributes (the protection applied): pickling a small frame costs a
    tenth of Streamlit's hashing of it."""
    return hashlib.sha1(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


@dataclass(frozen=True)
class BlockContents:
    table: exports.Table
    csv: bytes
    xlsx: bytes


@st.fragment
def _data_block(
    view: View,
    data: pd.DataFrame,
    columns: Mapping[str, str],
    title: str,
    name: str,
    fact: str,
    on: date | None,
    filters: tuple[str, ...],
    headers: Mapping[str, str] | None,
    expanded: bool,
) -> None:
    block = st.expander(
        view.t("data.show"), expanded=expanded, icon=":material/table_view:", key=DATA_KEY + name, on_change="rerun"
    )
    if not block.open:
        return

    def make() -> BlockContents:
        table = exports.labelled(data, dict(columns), view.lang, headers=dict(headers or {}))
        header = export_header(view, title, fact=fact, on=on, filters=filters, data=data)
        return BlockContents(table, exports.to_csv(table, header), exports.to_xlsx(table, header, name))

    about = (title, fact, on, filters, tuple(columns.items()), tuple((headers or {}).items()))
    question = (store_in_force().key, view.lang, view.code, view.period, name, about, _fingerprint(data))
    contents = _block_contents(question, date.today(), make)
    file_name = f"{name}-{view.code}" + (f"-{on:%Y-%m-%d}" if on else "")
    with block:
        note = privacy.note(data, view.lang)
        if note:
            st.caption(note)
        # Typed columns sort by value; the grid writes one text for every missing cell (placeholder).
        st.dataframe(
            exports.styled(contents.table),
            hide_index=True,
            width="stretch",
            placeholder=exports.placeholder(contents.table),
        )
        with st.container(horizontal=True):
            st.download_button(
                view.t("data.csv"),
                data=contents.csv,
                file_name=f"{file_name}.csv",
                mime="text/csv",
                on_click="ignore",
                icon=":material/download:",
                key=f"csv-{name}",
            )
            st.download_button(
                view.t("data.xlsx"),
                data=contents.xlsx,
                file_name=f"{file_name}.xlsx",
                on_click="ignore",
                icon=":material/download:",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"xlsx-{name}",
            )


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _block_contents(question: tuple, today: date, _make: Callable[[], BlockContents]) -> BlockContents:
    """An open block's table and download bytes (their header says the day they were exported). Given as
    bytes, not made on the click: a file made on the click belongs to no session, and under load other
    sessions' runs delete it before it is fetched."""
    return _make()


def made_once(name: str, make: Callable[[], bytes | str], *about) -> bytes | str:
    """A download's contents (a deck, a briefing), made once per store, `name` and `about` (what else they
    depend on: the area, the date, the language) and shared by every run that asks for them."""
    return _made((store_in_force().key, name, *about), make)


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _made(question: tuple, _make: Callable[[], bytes | str]) -> bytes | str:
    return _make()


def export_header(
    view: View, title: str, *, fact: str, on: date | None, filters: Sequence[str], data: pd.DataFrame | None = None
) -> list[tuple[str, str]]:
    """A download's header. Its sources are the datasets in force for `fact` (of the population, those
    `data` names in its dataset_id column), else the areas', for a table of areas only. Its date: `on`,
    else the days `data` spans in its date column (SP Online, ASN), else the census date for the
    sample's population, else the periods `data` names, else the day each file was loaded."""
    datasets = current_datasets()
    named = _column_values(data, "dataset_id")
    in_force = datasets[(datasets["fact"] == fact) & (datasets["id"].isin(named) if named else True)]
    if in_force.empty:
        in_force = datasets[datasets["fact"] == "areas"]
    in_force = in_force.drop_duplicates("id")
    descriptions = [dataset_description(dataset, view.lang) for _, dataset in in_force.iterrows()]
    source = "; ".join(
        f"{description} ({dataset['source_file']}, sha256 {dataset['sha256'][:12]})"
        for description, (_, dataset) in zip(descriptions, in_force.iterrows())
    )
    days, periods = _column_values(data, "date"), _column_values(data, "period")
    if on:
        when = formatting.long_date(on, view.lang)
    elif days:
        first, last = formatting.long_date(min(days), view.lang), formatting.long_date(max(days), view.lang)
        when = first if first == last else f"{first} – {last}"
    elif in_force.empty:
        when = ""
    elif fact in ("population", "areas") and (in_force["kind"] == "sample").all():
        when = view.t("export.census_date")
    elif periods:
        when = view.t("period.of_data", periods=", ".join(period_label(period, view.lang) for period in periods))
    else:
        when = "; ".join(
            view.t("export.loaded", description=description, date=formatting.long_date(loaded, view.lang))
            for description, loaded in zip(descriptions, in_force["loaded_at"])
        )
    return exports.header_block(
        view.lang,
        title=title,
        source=source,
        area=view.area_label(),
        on=when,
        filters=[*view.area_filters(), *filters],
        exported=formatting.long_date(date.today(), view.lang),
        synthetic=bool(in_force["synthetic"].any()),
    )


def _column_values(data: pd.DataFrame | None, column: str) -> list:
    """The distinct values `data` holds in `column`, in order, or none when it has no such column."""
    if data is None or column not in data.columns:
        return []
    return sorted(data[column].dropna().unique().tolist())


def side_by_side(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One frame of several areas' frames, each row named by its area (the key)."""
    return pd.concat([frame.assign(name=name) for name, frame in frames.items()], ignore_index=True)
