"""What the benchmark's apps share with the dashboard: the store it serves, the area selects drawn as its
sidebar draws them, and the tour of areas the benchmark chooses in them (tools/perf/felt.py)."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from sensus import store
from sensus.i18n import level_label, levels_label, t

LANG = "id"
TOUR_BRANCHES = 3  # areas of the first select in the tour, each followed by its first child


@st.cache_resource(show_spinner=False)
def connection() -> duckdb.DuckDBPyConnection:
    """The store in $SENSUS_DB, read only, as the dashboard reads it."""
    return store.connect()


@st.cache_resource(show_spinner=False)
def areas() -> pd.DataFrame:
    return read_areas(connection())


def read_areas(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.sql("select code, name, level, parent_code from areas order by code").df()


def children(table: pd.DataFrame, code: str | None) -> pd.DataFrame:
    """The areas one level below `code`, or the top-level areas for None (queries/child_areas.sql)."""
    return table[table["parent_code"].isna()] if code is None else table[table["parent_code"] == code]


def area_select(table: pd.DataFrame) -> str:
    """The dashboard's area filter (app.ui.area_filter): one select per level, from the top down, a single
    top-level area taken without one, 'all' first below it; the chosen area's code."""
    st.sidebar.subheader(t("filter.header", LANG))
    chosen, options = None, children(table, None)
    while not options.empty:
        level = options["level"].iloc[0]
        names = dict(zip(options["code"], options["name"]))
        if chosen is None and len(options) == 1:
            picked = options["code"].iloc[0]
        else:
            picked = st.sidebar.selectbox(
                level_label(level, LANG),
                ([] if chosen is None else [""]) + list(names),
                format_func=lambda code, names=names, level=level: (
                    names[code] if code else t("filter.all", LANG, levels=levels_label(level, LANG))
                ),
                key=f"{level}-{chosen}",  # a new select under each area: it starts at 'all'
            )
        if not picked:
            break
        chosen = picked
        options = children(table, chosen)
    return chosen


def tour(table: pd.DataFrame) -> list[tuple[tuple[str, str, str], ...]]:
    """The areas the benchmark chooses in turn, each as the trail of (level, code, name) from the first
    select down to it: the first TOUR_BRANCHES areas of the first select (kecamatan in a kota, kabupaten
    in a province), each followed by its first child. Each step changes one select."""
    top = children(table, None)
    while len(top) == 1:  # taken without a select
        top = children(table, top["code"].iloc[0])
    steps = []
    for branch in top.head(TOUR_BRANCHES).itertuples():
        first = children(table, branch.code).iloc[0]
        trail = ((branch.level, branch.code, branch.name),)
        steps += [trail, (*trail, (first["level"], first["code"], first["name"]))]
    return steps


def top_area(table: pd.DataFrame) -> str:
    """The area a page shows before any choice: the single top-level area, or the first."""
    return children(table, None)["code"].iloc[0]


def page() -> str:
    """The dashboard page whose charts this app draws: ?page=, Penduduk by default."""
    return st.query_params.get("page", "penduduk")
