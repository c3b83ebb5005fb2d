"""Pendidikan: highest education by sex, by age group, and across the areas below."""

from app import ui
from sensus import charts, indicators

view = ui.current_view()
ui.header(view, "pendidikan", caption=f"{view.area_label(markdown=True)} · {view.t('pendidikan.scope')}")
if not view.holds("education"):
    ui.stop_page(view, view.t("missing.education"))
columns = {"education": "education", "persons": "number", "share": "percent"}

by_sex = ui.cached(indicators.education_by_sex, view.code)
ui.chart(
    view,
    charts.education_by_sex(by_sex, view.lang, area=view.name),
    by_sex,
    {"sex": "sex", **columns},
    name="pendidikan-jenis-kelamin",
)
by_age = ui.cached(indicators.education_by_age, view.code)
ui.chart(
    view,
    charts.education_by_age(by_age, view.lang, area=view.name),
    by_age,
    {"age_group": "text", **columns},
    name="pendidikan-umur",
)

by_child = ui.cached(indicators.education_by_child_area, view.code)
if not by_child.empty:
    level = indicators.levels_by_role(view.level)["child"]
    ui.chart(
        view,
        charts.education_by_child_area(by_child, view.lang, level=level),
        by_child,
        {"rank": "number", "code": "text", "name": "text", **columns, "higher_share": "percent"},
        name="pendidikan-per-wilayah",
    )
