"""SP2020 census dashboard core: store, ingest, sample, statistics, charts and exports.

Importable without Streamlit."""
