"""Data & metode: the datasets loaded with their provenance, the data checks, and the definition,
formula and source of every indicator."""

import streamlit as st

from app import ui
from sensus import check, indicators, privacy
from sensus.formatting import plain
from sensus.i18n import dataset_description, indicator_definitions, indicator_metadata

view = ui.current_view()
ui.header(view, "data_metode")
st.markdown(view.t("method.about"))

st.subheader(view.t("method.datasets"))
datasets = ui.query("datasets")
datasets = datasets.assign(description=[dataset_description(row, view.lang) for _, row in datasets.iterrows()])
ui.data_block(
    view,
    datasets,
    {
        "id": "number",
        "kind": "text",
        "description": "text",
        "source_file": "text",
        "sha256": "text",
        "rows_read": "number",
        "persons_read": "number",
        "loaded_at": "date",
        "synthetic": "bool",
    },
    title=view.t("method.datasets_title"),
    name="dataset",
    expanded=True,
)

st.subheader(view.t("method.checks"), help=view.t("method.checks_when"))
for result in ui.cached(check.recorded_checks):
    description = view.t(f"check.{result.name}")
    if result.ok:
        st.success(f"{description}: {view.t('method.check_ok')}", icon=":material/check_circle:")
    else:
        st.error(f"{description}: {view.t('method.check_fail', count=result.count)}", icon=":material/error:")
        st.dataframe(result.problems, hide_index=True)

st.subheader(view.t("method.protection"))
protection = ui.cached(privacy.stored)
words = {"top": protection["min_cell"] - 1, "k": protection["min_cell"], "change": protection["max_change"]}
st.markdown(view.t("method.protection_about", **words))
utility = ui.cached(privacy.utility)
ui.data_block(
    view,
    utility.assign(level=[view.t(f"level.{level}") for level in utility["level"]]),
    {"level": "text", **dict.fromkeys(utility.columns.drop("level"), "number")},
    title=view.t("method.protection_utility"),
    name="perlindungan",
    expanded=True,
    headers={column: view.t(f"method.utility_{column}", **words) for column in utility.columns},
)
ui.data_block(
    view,
    protection["table"],
    {"value": "number", "key_from": "decimal", "key_to": "decimal", "change": "number"},
    title=view.t("method.protection_table", **words),
    name="tabel-perturbasi",
    headers={column: view.t(f"method.ptable_{column}") for column in protection["table"].columns},
)

st.subheader(view.t("method.definitions"))
definitions = indicator_definitions(view.lang)
for row in definitions.itertuples():
    st.markdown(
        f"**{row.name}**: {row.definition}  \n"
        f"{view.t('col.formula')}: `{row.formula}` · {view.t('col.data_source')}: {row.source}"
    )
ui.data_block(
    view,
    definitions,
    {"name": "text", "definition": "text", "formula": "text", "source": "text"},
    title=view.t("method.definitions_title"),
    name="metadata-indikator",
    headers={"name": view.t("col.indicator"), "source": view.t("col.data_source")},
)

st.subheader(view.t("method.indicators", area=plain(view.name)))
table = ui.cached(indicators.area_indicators, view.code, view.period)
ui.data_block(
    view,
    table.assign(role=[view.t(f"role.{role}") for role in table["role"]]),
    {
        "code": "text",
        "name": "text",
        "role": "text",
        "area_km2": "decimal",
        "persons": "number",
        "male": "number",
        "female": "number",
        "age_0_14": "number",
        "age_15_64": "number",
        "age_65_plus": "number",
        "with_education": "number",
        "higher_education": "number",
        "sex_ratio": "decimal",
        "median_age": "decimal",
        "dependency_young": "decimal",
        "dependency_old": "decimal",
        "dependency_total": "decimal",
        "density": "number",
        "higher_education_share": "percent",
    },
    title=view.t("method.indicators", area=view.name),
    name="indikator-lengkap",
    expanded=True,
    headers={
        "area_km2": "km²",
        "age_0_14": "0–14",
        "age_15_64": "15–64",
        "age_65_plus": "65+",
        "with_education": view.t("col.with_education"),
        "higher_education": view.t("col.higher_share"),
        **{
            name: indicator_metadata(name, view.lang)["name"]
            for name in ("sex_ratio", "median_age", "dependency_total", "density", "higher_education_share")
        },
        "dependency_young": view.t("col.dependency_young"),
        "dependency_old": view.t("col.dependency_old"),
    },
)
