"""Streamlit's floor for a dashboard page: the same area selects, and for the area chosen the very figures
the dashboard's page draws there, built before the server started (tools/perf/felt.py writes them to the
JSON file in $FELT_FIGURES: {page: {area code: [[figure JSON, config JSON], ...]}}) and held as plotly
figures. What is left of a rerun is what Streamlit costs to ship and draw those figures."""

import json
import os
from pathlib import Path

import plotly.io
import streamlit as st

from tools.perf.apps import common


@st.cache_resource(show_spinner=False)
def figures() -> dict:
    pages = json.loads(Path(os.environ["FELT_FIGURES"]).read_text())
    return {
        page: {
            code: [(plotly.io.from_json(spec), json.loads(config)) for spec, config in charts]
            for code, charts in by_area.items()
        }
        for page, by_area in pages.items()
    }


code = common.area_select(common.areas())
for index, (figure, config) in enumerate(figures()[common.page()].get(code, [])):
    st.plotly_chart(figure, width="stretch", theme=None, config=config, key=f"chart-{index}")
