"""The rakor briefing for an area on a date, and its offline HTML file.

A briefing is a short sequence of slides, one message each: a headline sentence with its number over
the indicator frame behind one chart or table. The presentation page, the PowerPoint deck
(sensus.deck) and the offline HTML file show the same slides, in the same words. A slide whose data
the store does not hold for the area is left out.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from queries import run
from sensus import charts, formatting, i18n, indicators, privacy
from sensus.i18n import t

SLIDES = (
    "title",
    "indicators",
    "pyramid",
    "education",
    "online_areas",
    "online_trend",
    "asn_agencies",
    "attention",
    "sources",
)
ATTENTION_LIMIT = 10
AGENCIES_SHOWN = 5  # the agencies an ASN slide names at the top and at the bottom; the rest share one row
# The kinds of data a briefing can present (indicators.FACTS); the title and sources slides need none.
PRESENTABLE = frozenset({"population", "online", "asn"})
# Each dated series, by the kind of data it shows: the briefing's date must fall within the first one held.
SERIES = {"online": ("online_trend", "SP Online"), "asn": ("asn_trend", "ASN")}
TARGET_FACTS = {"online_households": "online", "asn": "asn"}  # the kind of data each target is for
# The kind of data each indicator is built from, where it is not the population.
INDICATOR_FACTS = {
    "higher_education_share": "education",
    "online_rate": "online",
    "online_pace": "online",
    "asn_rate": "asn",
}
ONLINE_DEADLINES = ("online_original", "online_extension")  # the timeline's SP Online windows


class BriefingError(ValueError):
    """An area or a date the store holds no data for."""


@dataclass(frozen=True)
class Slide:
    key: str
    title: str
    headline: str
    data: pd.DataFrame
    note: str | None = None  # what small-cell protection withheld, when it withheld anything


@dataclass(frozen=True)
class Briefing:
    code: str
    name: str
    level: str
    on: date
    deadlines: dict[str, date]  # SP Online start, original and extended deadline
    lang: str
    source: str  # the descriptions of the datasets shown
    synthetic: bool  # whether one of them is synthetic
    slides: tuple[Slide, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(slide.key for slide in self.slides)

    def slide(self, key: str) -> Slide:
        for slide in self.slides:
            if slide.key == key:
                return slide
        raise KeyError(f"no slide {key!r} in this briefing; it has {self.keys}")

    @property
    def child_level(self) -> str | None:
        return indicators.levels_by_role(self.level)["child"]

    @property
    def stamp_lines(self) -> list[str]:
        """What every slide, card and page of the briefing carries: area and date, source, and the
        synthetic-data notice where it applies."""
        lines = [
            f"{self.name} · {formatting.long_date(self.on, self.lang)}",
            t("footer.dataset", self.lang, description=self.source),
        ]
        return lines + ([t("synthetic.notice", self.lang)] if self.synthetic else [])

    @property
    def stamp(self) -> str:
        return " · ".join(self.stamp_lines)


def presentable(held: frozenset[str]) -> frozenset[str]:
    """The kinds of data held that the slides can show: SP Online and ASN only with a target to set
    them against."""
    return held - {fact for fact in ("online", "asn") if f"{fact}_target" not in held}


def dated_series(held: frozenset[str]) -> str | None:
    """The kind of data whose dates bound a briefing's date: SP Online, else ASN, else none (a
    briefing of the population alone may be on any day)."""
    return next((fact for fact in SERIES if fact in held), None)


def coverage(con: duckdb.DuckDBPyConnection, code: str, fact: str = "online") -> tuple[date, date]:
    """The first and last day of an area's SP Online (or ASN) progress."""
    query, series = SERIES[fact]
    dates = run(con, query, area=code)["date"]
    if dates.empty:
        raise BriefingError(f"no {series} progress for area {code} in the store")
    return dates.min(), dates.max()


def assemble(con: duckdb.DuckDBPyConnection, code: str, on: date, lang: str = i18n.DEFAULT_LANGUAGE) -> Briefing:
    """The briefing for an area on a date, in a language, with the slides of the data the store
    holds for the area. BriefingError names an unknown area, an area with nothing to present, or a
    date outside the SP Online (else ASN) data."""
    if lang not in i18n.LANGUAGES:
        raise BriefingError(f"unknown language {lang!r}; expected one of {', '.join(i18n.LANGUAGES)}")
    try:
        area = indicators.area(con, code)
    except KeyError:
        raise BriefingError(t("error.unknown_area", "en", code=code)) from None
    held = presentable(indicators.facts_held(con, code).in_area)
    if not held & PRESENTABLE:
        raise BriefingError(
            f"nothing to present for {area['name']} ({code}): the store holds no population, nor SP Online or "
            "ASN data with a target, for it; load some with `sensus ingest`"
        )
    fact = dated_series(held)
    if fact:
        first, last = coverage(con, code, fact)
        if not first <= on <= last:
            raise BriefingError(
                f"no {SERIES[fact][1]} progress for {area['name']} ({code}) on {on:%Y-%m-%d}; "
                f"the data covers {first:%Y-%m-%d} to {last:%Y-%m-%d}"
            )

    area = {**area, "name": formatting.shortened(area["name"])}  # a label on every slide
    context = _Context(lang, area, on)
    slides = [_title_slide(context)]
    trend = run(con, "online_trend", area=code)
    today = trend[trend["date"] == on].iloc[0] if "online" in held else None
    asn_trend = run(con, "asn_trend", area=code)
    asn_today = asn_trend[asn_trend["date"] == on] if "asn" in held else asn_trend.iloc[:0]
    asn_city = _asn_home(run(con, "asn_home_areas", area=code), code)
    if "population" in held:
        headline = indicators.headline(con, code)
        slides.append(_indicators_slide(context, headline, "education" in held, today, asn_today, asn_city))
        if "age" in held:
            slides.append(_pyramid_slide(context, indicators.pyramid(con, code), headline))
        education = indicators.education_by_sex(con, code)
        if education["dataset_id"].notna().any():
            slides.append(_education_slide(context, education, headline))
    if today is not None:
        pace = indicators.online_pace(trend, on, indicators.deadline_on(con, on))
        slides += [
            _online_areas_slide(context, run(con, "online_by_child_area", area=code, date=on), today),
            _online_trend_slide(context, trend, pace),
        ]
    slides.append(_asn_slide(context, run(con, "asn_by_agency", area=code, date=on), asn_today, asn_city))
    if today is not None:
        slides.append(_attention_slide(context, indicators.attention_list(con, code, on, limit=ATTENTION_LIMIT)))
    datasets = run(con, "current_datasets")
    datasets = datasets[datasets["fact"].isin(held)].drop_duplicates("id")
    targets = run(con, "targets", area=code)
    timeline = run(con, "timeline")
    deadlines = timeline[timeline["key"].isin(ONLINE_DEADLINES)] if "online" in held else timeline.iloc[:0]
    slides.append(
        _sources_slide(context, held, datasets, targets[targets["indicator"].map(TARGET_FACTS).isin(held)], deadlines)
    )
    return Briefing(
        code=code,
        name=area["name"],
        level=area["level"],
        on=on,
        deadlines=indicators.online_deadlines(con),
        lang=lang,
        source="; ".join(i18n.dataset_description(dataset, lang) for _, dataset in datasets.iterrows()),
        synthetic=bool(datasets["synthetic"].any()),
        slides=tuple(slide for slide in slides if slide is not None),
    )


@dataclass(frozen=True)
class _Context:
    lang: str
    area: dict
    on: date

    def percent(self, share: float, digits: int = 1) -> str:
        return formatting.percent(share, self.lang, digits)

    def number(self, value: float) -> str:
        return formatting.number(value, self.lang)

    def text(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def slide(self, key: str, data: pd.DataFrame, headline_key: str, *, title: str | None = None, **values) -> Slide:
        return Slide(
            key=key,
            title=title or self.text(f"rakor.slide.{key}", area=self.area["name"]),
            headline=self.text(headline_key, **values),
            data=data,
            note=privacy.note(data, self.lang),
        )


def _title_slide(context: _Context) -> Slide:
    return context.slide(
        "title",
        pd.DataFrame(),
        "rakor.headline.title",
        area=context.area["name"],
        date=formatting.long_date(context.on, context.lang),
    )


def _asn_home(homes: pd.DataFrame, code: str) -> str | None:
    """The name of the area whose agencies serve the area `code` (asn_home_areas rows), when that is
    another area: its ASN figures are then that area's, not its own. None when they are its own."""
    others = homes[homes["code"] != code]
    return ", ".join(others["name"]) if len(others) == len(homes) and not homes.empty else None


def _indicators_slide(
    context: _Context,
    headline: pd.Series,
    with_education: bool,
    today: pd.Series | None,
    asn_today: pd.DataFrame,
    asn_city: str | None,
) -> Slide:
    """The headline indicators, then SP Online and ASN completion on the day, of the data held; the
    ASN figure named as the city's where it is not the area's own."""
    values = {
        name: headline[name] for name in i18n.HEADLINE_INDICATORS if with_education or name != "higher_education_share"
    }
    if today is not None:
        values["online_rate"] = today["rate"]
    if not asn_today.empty:
        values["asn_rate"] = asn_today["rate"].iloc[0]
    data = pd.DataFrame(
        {
            "indicator": list(values),
            "label": [_indicator_label(context, name, asn_city) for name in values],
            "value": [float(value) for value in values.values()],
            "text": [i18n.format_indicator(name, value, context.lang) for name, value in values.items()],
        }
    )
    return context.slide(
        "indicators",
        data,
        "rakor.headline.indicators",
        persons=context.number(headline["persons"]),
        density=context.number(headline["density"]),
    )


def _indicator_label(context: _Context, name: str, asn_city: str | None) -> str:
    label = i18n.indicator_metadata(name, context.lang)["name"]
    return context.text("rakor.asn_card", label=label, city=asn_city) if name == "asn_rate" and asn_city else label


def _pyramid_slide(context: _Context, pyramid: pd.DataFrame, headline: pd.Series) -> Slide:
    if np.isnan(headline["median_age"]):
        return context.slide(
            "pyramid", pyramid, "rakor.headline.pyramid_persons", persons=context.number(headline["persons"])
        )
    return context.slide(
        "pyramid",
        pyramid,
        "rakor.headline.pyramid",
        median=i18n.format_indicator("median_age", headline["median_age"], context.lang),
    )


def _education_slide(context: _Context, education: pd.DataFrame, headline: pd.Series) -> Slide:
    return context.slide(
        "education", education, "rakor.headline.education", share=context.percent(headline["higher_education_share"])
    )


def _online_areas_slide(context: _Context, children: pd.DataFrame, today: pd.Series) -> Slide | None:
    if children.empty:
        return None
    reached = today["rate"] >= today["target"]
    return context.slide(
        "online_areas",
        children,
        "rakor.headline.online_reached" if reached else "rakor.headline.online_below",
        rate=context.percent(today["rate"]),
        target=context.percent(today["target"]),
    )


def _online_trend_slide(context: _Context, trend: pd.DataFrame, pace: indicators.OnlinePace) -> Slide:
    data = _trend_to_deadline(trend, pace)
    deadline = formatting.long_date(pace.deadline, context.lang)
    if pace.households_needed == 0:
        return context.slide("online_trend", data, "rakor.headline.trend_reached", deadline=deadline)
    if pace.pace_needed is None:
        return context.slide(
            "online_trend",
            data,
            "rakor.headline.trend_missed",
            deadline=deadline,
            gap=context.number(pace.households_needed),
        )
    return context.slide(
        "online_trend",
        data,
        "rakor.headline.trend",
        needed=context.number(pace.pace_needed),
        deadline=deadline,
        last=context.number(pace.pace_last_7_days),
    )


def _trend_to_deadline(trend: pd.DataFrame, pace: indicators.OnlinePace) -> pd.DataFrame:
    """The online_trend rows up to the chosen date, then one empty row a day on to the deadline, with
    the path needed: a straight line from the chosen date's rate to the target on the deadline."""
    rows = trend.set_index("date")
    days = pd.Index(pd.date_range(rows.index.min(), max(pace.deadline, pace.on)).date, name="date")
    frame = rows[rows.index <= pace.on].reindex(days)
    frame["target"] = rows["target"].iloc[0]
    frame["needed"] = np.nan
    if pace.households_needed:
        rate_on = rows.loc[pace.on, "rate"]
        days_after_on = np.array([(day - pace.on).days for day in days])
        progress = days_after_on / max(pace.days_left, 1)
        frame["needed"] = (rate_on + (frame["target"] - rate_on) * progress).where(days_after_on >= 0)
    return frame.reset_index()


def _asn_slide(
    context: _Context, agencies: pd.DataFrame, asn_today: pd.DataFrame, asn_city: str | None
) -> Slide | None:
    """The agencies ranked by completion, top and bottom named and the rest summarised; titled as the
    city's figures on the slide of an area within it."""
    if agencies.empty or asn_today.empty:
        return None
    total = asn_today.iloc[0]
    reached = total["rate"] >= total["target"]
    shown = ranked_agencies(agencies, context.lang)
    title = (
        context.text("rakor.slide.asn_agencies")
        if len(shown) == len(agencies)
        else context.text("rakor.slide.asn_ranked", shown=AGENCIES_SHOWN, count=context.number(len(agencies)))
    )
    if asn_city:
        title = context.text("rakor.slide.asn_scope", title=title, city=asn_city, area=context.area["name"])
    return context.slide(
        "asn_agencies",
        shown,
        "rakor.headline.asn_reached" if reached else "rakor.headline.asn_below",
        title=title,
        rate=context.percent(total["rate"], 0),
        target=context.percent(total["target"], 0),
    )


def ranked_agencies(agencies: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The agencies a slide names, of asn_by_agency's rows (best first): the first and the last
    AGENCIES_SHOWN, with the rest between them summed into one row named for how many they are."""
    if len(agencies) <= 2 * AGENCIES_SHOWN + 1:
        return agencies
    rest = agencies.iloc[AGENCIES_SHOWN:-AGENCIES_SHOWN]
    name = t("rakor.agencies_rest", lang, count=formatting.number(len(rest), lang))
    employees, complete = rest["employees"].sum(), rest["complete"].sum()
    summary = {
        "name": name,
        "short_name": name,
        "employees": employees,
        "complete": complete,
        "rate": complete / employees,
        "target": rest["target"].iloc[0],
        "gap": rest["gap"].sum(),
    }
    return pd.concat(
        [agencies.iloc[:AGENCIES_SHOWN], pd.DataFrame([summary]), agencies.iloc[-AGENCIES_SHOWN:]], ignore_index=True
    )


def _attention_slide(context: _Context, villages: pd.DataFrame) -> Slide:
    if villages.empty:
        return context.slide("attention", villages, "rakor.headline.attention_none")
    first = villages.iloc[0]
    return context.slide(
        "attention",
        villages,
        "rakor.headline.attention",
        count=context.number(len(villages)),
        first=first["name"],
        rate=context.percent(first["rate"]),
        gap=context.number(first["gap"]),
    )


def _sources_slide(
    context: _Context, held: frozenset[str], datasets: pd.DataFrame, targets: pd.DataFrame, deadlines: pd.DataFrame
) -> Slide:
    """One row per line of the sources slide: the datasets, the targets, the SP Online deadlines
    (when it shows SP Online), then the definitions of the indicators of the data held."""
    lang = context.lang
    rows = [
        (
            "dataset",
            context.text("rakor.sources.dataset"),
            f"{i18n.dataset_description(dataset, lang)} ({dataset['source_file']}, sha256 {dataset['sha256'][:12]}…)",
        )
        for _, dataset in datasets.iterrows()
    ]
    for target in targets.itertuples():
        rows.append(
            (
                "target",
                context.text(f"rakor.sources.target.{target.indicator}", value=context.percent(target.share, 1)),
                target.source,
            )
        )
    for event in deadlines.itertuples():
        rows.append(
            (
                "timeline",
                f"{event.event}: {formatting.short_date(event.date_start, lang)} – "
                f"{formatting.short_date(event.date_end, lang)}",
                event.source,
            )
        )
    defined = [name for name in i18n.INDICATORS if INDICATOR_FACTS.get(name, "population") in held]
    for name in defined:
        meta = i18n.indicator_metadata(name, lang)
        rows.append(("definition", meta["name"], f"{meta['definition']} {meta['formula']}"))
    rows.append(("privacy", context.text("rakor.sources.privacy"), privacy.mode_label(lang)))
    data = pd.DataFrame(rows, columns=["kind", "label", "text"])
    return context.slide("sources", data, "rakor.headline.sources")


# ---------------------------------------------------------------- charts and tables of the slides


def figure(briefing: Briefing, key: str) -> go.Figure | None:
    """The plotly chart of a slide (from sensus.charts), or None for a slide without one."""
    slide = briefing.slide(key)
    lang, on, name = briefing.lang, briefing.on, briefing.name
    builders = {
        "pyramid": lambda: charts.pyramid(slide.data, lang, area=name),
        "education": lambda: charts.education_by_sex(slide.data, lang, area=name),
        "online_areas": lambda: charts.online_by_area(slide.data, lang, level=briefing.child_level, on=on),
        "online_trend": lambda: charts.online_trend(slide.data, lang, area=name, deadlines=briefing.deadlines, on=on),
        "asn_agencies": lambda: charts.asn_by_agency(slide.data, lang, on=on),
        "attention": lambda: charts.online_by_area(slide.data, lang, level="village", on=on),
    }
    build = builders.get(key)
    return build() if build and not slide.data.empty else None


def projected(chart: go.Figure, *, height: int, text_size: int) -> go.Figure:
    """A slide's chart for a projector: `height` px tall, every text on it `text_size` px, no title
    (the slide's headline says it)."""
    chart.update_layout(
        title=None,
        height=height,
        font_size=text_size,
        legend_font_size=text_size,
        hoverlabel_font_size=text_size,
        margin=dict(l=10, r=10, b=10, t=10),
    )
    axis_text = dict(tickfont_size=text_size, title_font_size=text_size)
    chart.update_xaxes(**axis_text)
    chart.update_yaxes(**axis_text)
    chart.update_annotations(font_size=text_size)
    for trace in chart.data:
        if "textfont" in trace:
            trace.textfont.size = text_size
    rows = {name for trace in chart.data if getattr(trace, "orientation", None) == "h" for name in trace.y}
    # A row a text high names every bar (letters are shorter than their size) and leaves none out; the legend,
    # the value axis and its title take about five text heights of the chart's.
    if len(rows) * text_size <= height - 5 * text_size:
        chart.update_yaxes(tickmode="linear", tick0=0, dtick=1)
    for axis in (chart.layout.xaxis, chart.layout.yaxis):
        # plotly's own ticks for large text on a short value axis of a set range can shrink to one (0%):
        # four steps of a round size instead (a value axis has a tick format, a category axis has none)
        if axis.range and axis.tickformat and axis.tickvals is None:
            axis.update(tickmode="linear", tick0=0, dtick=charts._nice_step(axis.range[1] - axis.range[0], ticks=4))
    return chart


def table(slide: Slide, lang: str) -> tuple[list[str], list[list[str]]] | None:
    """The header and rows of a slide's table, as text, or None for a slide without one."""
    if slide.key == "indicators":
        return (
            [t("col.indicator", lang), t("col.value", lang)],
            [[row.label, row.text] for row in slide.data.itertuples()],
        )
    if slide.key == "attention" and not slide.data.empty:
        number, percent = (lambda v: formatting.number(v, lang)), (lambda v: formatting.percent(v, lang, 1))
        return (
            [
                t(key, lang)
                for key in ("level.village", "col.district", "col.base", "col.complete", "col.rate", "col.gap")
            ],
            [
                [
                    row.name,
                    row.district_name,
                    number(row.base),
                    number(row.complete),
                    percent(row.rate),
                    number(row.gap),
                ]
                for row in slide.data.itertuples()
            ],
        )
    return None


# ---------------------------------------------------------------- the offline HTML file

CHART_WIDTH = 700  # px: the printable width of A4 portrait (186 mm at 96 dpi)
PRINT_HEIGHT = 700  # px: room for a chart on an A4 page under its headline; taller charts shrink in print
PLOTLY_CONFIG = {"displaylogo": False, "responsive": False}

STYLE = """
body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; color: #111; margin: 0; background: #f4f4f4; }
section { background: #fff; max-width: 740px; margin: 24px auto; padding: 28px 32px; }
.kicker { color: #595959; font-size: 15px; margin: 0 0 4px; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 16px; }
.title h1 { font-size: 44px; }
.lead { font-size: 22px; margin: 0 0 12px; }
.synthetic { color: #b03a00; font-weight: bold; }
.note, footer { color: #595959; font-size: 12px; }
footer { border-top: 1px solid #ddd; margin-top: 16px; padding-top: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 15px; margin-top: 12px; }
th, td { padding: 5px 8px; border-bottom: 1px solid #ddd; text-align: left; }
td.number, th.number { text-align: right; }
dl { font-size: 13px; margin: 0; }
dt { font-weight: bold; margin-top: 6px; }
dd { margin: 0; }
@page { size: A4; margin: 12mm; }
@media print {
  body { background: #fff; }
  section { margin: 0; padding: 0; max-width: none; break-after: page; }
  section:last-child { break-after: auto; }
  .chart { zoom: var(--print-zoom); }
  .modebar-container { display: none; }
}
"""


def to_html(briefing: Briefing) -> str:
    """The briefing as one self-contained HTML file: plotly.js embedded once and nothing fetched
    from any other address; interactive on screen, one section a page on A4 paper."""
    sections = "\n".join(_section(briefing, slide) for slide in briefing.slides)
    title = html.escape(
        f"{t('rakor.slide.title', briefing.lang)}: {briefing.name}, {formatting.long_date(briefing.on, briefing.lang)}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{briefing.lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
        f"<style>{STYLE}</style>\n<script>{get_plotlyjs()}</script>\n</head>\n<body>\n{sections}\n</body>\n</html>\n"
    )


def _section(briefing: Briefing, slide: Slide) -> str:
    escape = html.escape
    if slide.key == "title":
        parts = [
            f'<p class="kicker">{escape(slide.title)}</p>',
            f"<h1>{escape(briefing.name)}</h1>",
            f'<p class="lead">{escape(slide.headline)}</p>',
            f"<p>{escape(t('footer.dataset', briefing.lang, description=briefing.source))}</p>",
        ]
        if briefing.synthetic:
            parts.append(f'<p class="synthetic">{escape(t("synthetic.notice", briefing.lang))}</p>')
        return f'<section id="{slide.key}" class="title">{"".join(parts)}</section>'
    parts = [f'<p class="kicker">{escape(slide.title)}</p>', f"<h1>{escape(slide.headline)}</h1>"]
    chart = figure(briefing, slide.key)
    if chart is not None:
        parts.append(_chart_html(chart, slide.key))
    rows = table(slide, briefing.lang)
    if rows is not None:
        parts.append(_table_html(*rows))
    if slide.key == "sources":
        parts.append(
            "<dl>"
            + "".join(f"<dt>{escape(row.label)}</dt><dd>{escape(row.text)}</dd>" for row in slide.data.itertuples())
            + "</dl>"
        )
    if slide.note:
        parts.append(f'<p class="note">{escape(slide.note)}</p>')
    parts.append(f"<footer>{escape(briefing.stamp)}</footer>")
    return f'<section id="{slide.key}">{"".join(parts)}</section>'


def _chart_html(chart: go.Figure, key: str) -> str:
    chart.update_layout(width=CHART_WIDTH, autosize=False)
    zoom = min(1.0, PRINT_HEIGHT / (chart.layout.height or 450))
    div = pio.to_html(chart, include_plotlyjs=False, full_html=False, div_id=f"chart-{key}", config=PLOTLY_CONFIG)
    return f'<div class="chart" style="--print-zoom: {zoom:.3f}">{div}</div>'


def _table_html(header: list[str], rows: list[list[str]]) -> str:
    def cell(tag: str, text: str) -> str:
        numeric = ' class="number"' if text[:1].isdigit() or text[:1] == "<" else ""
        return f"<{tag}{numeric}>{html.escape(text)}</{tag}>"

    head = "".join(f"<th>{html.escape(text)}</th>" for text in header)
    body = "".join("<tr>" + "".join(cell("td", text) for text in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# ---------------------------------------------------------------- chart cards for messaging apps

CARD_WIDTH, CARD_HEIGHT = 1200, 900


def card_problem(lang: str) -> str | None:
    """Why this machine cannot draw chart cards, in words for the user; None when it can. Plotly's
    image export (kaleido) drives a Chrome or Chromium it finds (or the one $BROWSER_PATH names)."""
    try:
        import kaleido  # noqa: F401
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return t("rakor.card.no_kaleido", lang)
    if Chromium.find_browser(skip_local=False) is None:
        return t("rakor.card.no_chromium", lang)
    return None


def card_png(briefing: Briefing, key: str) -> bytes:
    """A slide's chart as a PNG card: its headline, then the chart, then area, date and source."""
    slide = briefing.slide(key)
    chart = figure(briefing, key)
    if chart is None:
        raise KeyError(f"slide {key!r} has no chart")
    chart.update_layout(
        title=dict(
            text=f"<b>{html.escape(slide.headline)}</b>",
            x=0.015,
            subtitle=dict(text=html.escape(slide.title), font=dict(size=charts.SMALL_SIZE)),
        ),
        margin=dict(t=170, b=140),
        width=CARD_WIDTH,
        height=max(CARD_HEIGHT, chart.layout.height or 0),
    )
    chart.add_annotation(
        text="<br>".join(map(html.escape, briefing.stamp_lines)),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-60,
        showarrow=False,
        align="left",
        font=dict(size=14, color="#b03a00" if briefing.synthetic else "#595959"),
    )
    return chart.to_image(format="png", width=CARD_WIDTH, height=chart.layout.height)
