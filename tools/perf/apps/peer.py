"""The naive pandas peer: the way community census dashboards are written. The population cube is one
DataFrame read with one query and kept by st.cache_data; each area change masks it with booleans and
draws plotly express figures of what is left, for the pages it has (PAGES)."""

import pandas as pd
import plotly.express as px
import streamlit as st

from tools.perf.apps import common

# The village-level population by sex, five-year age group and education, with the areas above each village.
CUBE = """
select village.code as village, village.parent_code as district, district.parent_code as regency,
    p.sex, g.label as age_group, g.lower, e.label_id as education, sum(p.persons) as persons
from population as p
join areas as village on village.code = p.area_code
join areas as district on district.code = village.parent_code
join age_groups as g on p.age_from between g.lower and coalesce(g.upper, 999)
left join education_levels as e on e.code = p.education
group by all
"""
SEXES = {1: "Laki-laki", 2: "Perempuan"}


@st.cache_data(show_spinner=False)
def cube() -> pd.DataFrame:
    return common.connection().sql(CUBE).df()


def within(frame: pd.DataFrame, area: pd.Series) -> pd.DataFrame:
    """The rows of the area: a mask on its level's column (the whole frame above the regency)."""
    return frame[frame[area["level"]] == area["code"]] if area["level"] in frame.columns else frame


def pyramid(rows: pd.DataFrame) -> pd.DataFrame:
    table = rows.groupby(["lower", "age_group", "sex"], as_index=False)["persons"].sum()
    table["sex"] = table["sex"].map(SEXES)
    table["bar"] = table["persons"].where(table["sex"] == SEXES[2], -table["persons"])
    return table


def penduduk(rows: pd.DataFrame, area: pd.Series, areas: pd.DataFrame) -> None:
    table = pyramid(rows)
    left, right = st.columns(2)
    left.plotly_chart(
        px.bar(
            table,
            x="bar",
            y="age_group",
            color="sex",
            orientation="h",
            barmode="relative",
            title=f"Piramida penduduk {area['name']}",
        ),
        key="pyramid",
    )
    wide = table.pivot(index="age_group", columns="sex", values="persons").reindex(table["age_group"].unique())
    ratio = (100 * wide[SEXES[1]] / wide[SEXES[2]]).rename("sex_ratio").reset_index()
    right.plotly_chart(
        px.line(ratio, x="age_group", y="sex_ratio", markers=True, title=f"Rasio jenis kelamin {area['name']}"),
        key="sex-ratio",
    )


def pendidikan(rows: pd.DataFrame, area: pd.Series, areas: pd.DataFrame) -> None:
    educated = rows[rows["education"].notna()]
    by_sex = educated.groupby(["education", "sex"], as_index=False)["persons"].sum()
    by_sex["sex"] = by_sex["sex"].map(SEXES)
    st.plotly_chart(
        px.bar(by_sex, x="education", y="persons", color="sex", barmode="group", title=f"Pendidikan {area['name']}"),
        key="by-sex",
    )
    by_age = educated.groupby(["lower", "age_group", "education"], as_index=False)["persons"].sum()
    st.plotly_chart(
        px.bar(by_age, x="age_group", y="persons", color="education", title=f"Pendidikan per umur {area['name']}"),
        key="by-age",
    )
    below = areas[areas["parent_code"] == area["code"]]
    if not below.empty:
        child = below["level"].iloc[0]
        by_child = educated.groupby([child, "education"], as_index=False)["persons"].sum()
        by_child["name"] = by_child[child].map(dict(zip(below["code"], below["name"])))
        st.plotly_chart(
            px.bar(by_child, x="name", y="persons", color="education", title=f"Pendidikan per wilayah {area['name']}"),
            key="by-child",
        )


PAGES = {"penduduk": penduduk, "pendidikan": pendidikan}

if __name__ == "__main__":
    areas = common.areas()
    area = areas[areas["code"] == common.area_select(areas)].iloc[0]
    PAGES[common.page()](within(cube(), area), area, areas)
