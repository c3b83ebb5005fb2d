"""The dashboard's Streamlit layer: what pages/ and dashboard.py use to read the view, call the core and draw."""
