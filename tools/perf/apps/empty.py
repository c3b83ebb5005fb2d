"""An empty page with the dashboard's area selects: what a rerun costs Streamlit with nothing to draw."""

from tools.perf.apps import common

common.area_select(common.areas())
