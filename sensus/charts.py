"""Figure builders: a DataFrame (a query or indicator result) in, a plotly Figure out.

Each builder writes its figure as plotly's JSON structure (a spec: {"data": [trace, ...], "layout": {...}})
and makes it a Figure once, at the end (`style`): plotly checks the whole spec then in one pass, where building it
through Figure's methods checks every change again (ten times the time).

Pure: no Streamlit, no SQL. Every builder takes the language, so titles, axes, legends, hover texts
and number formats follow it; the dashboard, the presentation mode, the deck and the briefing share
them. Colours are the Okabe-Ito palette (safe for colour-blind readers), ordinal scales use viridis,
and fonts are large enough to read on a projector. Missing values (NaN, e.g. a suppressed small
cell) are not drawn; in a chart of shares that add up to 100%, what they withheld is drawn as a
labelled band, so that each bar still reaches 100%.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date
from plotly.colors import sample_colorscale

from sensus import formatting
from sensus.i18n import education_labels, level_noun, sex_label, t

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#7F7F7F"
GRID = "#DADDE1"
SERIES = [BLUE, ORANGE, GREEN, VERMILLION, SKY_BLUE, PURPLE, BLACK]
SEX_COLOURS = {1: BLUE, 2: VERMILLION}

FONT = dict(family="Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif", size=18, color="#111111")
TITLE_SIZE = 22
SMALL_SIZE = 16
ROW_HEIGHT = 30
LEGEND_WIDTH = 380  # the narrowest plot area (half a page): legends on top wrap to fit it
PHONE_WIDTH = 340  # px of a title's line on a phone (390 px wide, less Streamlit's padding and the margins)
CHARACTER_WIDTH = 0.55  # of the font size: an average character of FONT, generously
LINE_HEIGHT = 1.3  # of the font size
LEGEND_ROW = 28  # px
DEFAULT_HEIGHT = 450  # px: plotly's, for a figure that sets none
NOTE_SIZE = 12  # px: the smallest a note on a chart is made on a phone


def education_colours(levels: int) -> list[str]:
    """An ordinal, colour-blind-safe scale: dark for little schooling, bright for the most."""
    return sample_colorscale("Viridis", [index / max(levels - 1, 1) for index in range(levels)])


Spec = dict  # a figure as plotly's JSON structure: {"data": [trace, ...], "layout": {...}}


def _spec(*traces: dict) -> Spec:
    return {"data": list(traces), "layout": {}}


def _merge(target: dict, changes: Mapping) -> None:
    """`changes` written into `target`, nested dicts merged (as plotly's update does); dicts are copied in."""
    for key, value in changes.items():
        if isinstance(value, Mapping):
            if not isinstance(target.get(key), dict):
                target[key] = {}
            _merge(target[key], value)
        else:
            target[key] = value


def _layout(spec: Spec, **changes) -> None:
    _merge(spec["layout"], changes)


def _axes(spec: Spec, letter: str, **changes) -> None:
    """`changes` to every x (or y, by `letter`) axis of the spec, or to its first when it has none yet (as
    plotly's update_xaxes does)."""
    names = [key for key in spec["layout"] if re.fullmatch(rf"{letter}axis\d*", key)] or [f"{letter}axis"]
    for name in names:
        _merge(spec["layout"].setdefault(name, {}), changes)


def _legend_rows(traces: Iterable[Mapping], width: int = LEGEND_WIDTH) -> int:
    """How many rows a legend on top takes when the chart is drawn `width` pixels wide; `traces` as plotly's
    JSON."""
    rows, used = 1, 0
    for trace in traces:
        if trace.get("name") and trace.get("showlegend") is not False:
            entry = 40 + 9 * len(trace["name"])
            if used and used + entry > width:
                rows, used = rows + 1, 0
            used += entry
    return rows


def _names_as_text(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The frame with its name columns (areas', agencies', from users' files) escaped for plotly's labels."""
    return frame.assign(**{column: frame[column].map(formatting.chart_text) for column in columns or ("name",)})


def _label(name: str) -> str:
    """A name from users' files as a label drawn on a chart: escaped, and shortened (formatting.shortened)."""
    return formatting.chart_text(formatting.shortened(name))


def _name_axis(spec: Spec, names: Sequence[str]) -> None:
    """The y axis of one bar per name, in the order given from the bottom up: each category is the whole
    name (escaped), which the hover shows, its label within formatting.NAME_LIMIT characters."""
    categories = [formatting.chart_text(name) for name in names]
    _axes(
        spec,
        "y",
        categoryorder="array",
        categoryarray=categories,
        tickvals=categories,
        ticktext=[_label(name) for name in names],
    )


def style(
    spec: Spec,
    lang: str,
    title: str,
    *,
    subtitle: str | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    height: int | None = None,
    legend: str | None = "top",
) -> go.Figure:
    """The common look: large fonts, the language's separators, a title with an optional subtitle
    (the area, the date), and the legend between the title and the plot, at the right, or none; then the
    spec made a Figure, which plotly checks in one pass."""
    legends = {
        "top": dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
        "right": dict(orientation="v", yanchor="top", y=1, xanchor="left", x=1.02, traceorder="reversed"),
        None: {},
    }
    top = (88 if subtitle else 60) + (LEGEND_ROW * _legend_rows(spec["data"]) if legend == "top" else 0)
    _layout(
        spec,
        template="none",
        paper_bgcolor="white",
        plot_bgcolor="white",
        title=dict(
            text=formatting.chart_text(title),
            font=dict(size=TITLE_SIZE),
            x=0,
            xanchor="left",
            xref="container",
            y=1,
            yanchor="top",
            yref="container",
            pad=dict(t=12),
            subtitle=dict(text=subtitle and formatting.chart_text(subtitle), font=dict(size=SMALL_SIZE, color=GREY)),
        ),
        font=FONT,
        separators=formatting.plotly_separators(lang),
        legend=dict(**legends[legend], font=dict(size=SMALL_SIZE), title=dict(text="")),
        showlegend=legend is not None,
        margin=dict(l=10, r=10, t=top, b=10),
        hoverlabel=dict(font=dict(size=SMALL_SIZE)),
        height=height,
    )
    axes = dict(tickfont=dict(size=SMALL_SIZE), automargin=True, gridcolor=GRID, zerolinecolor=GRID, linecolor=GRID)
    horizontal = any(trace.get("orientation") == "h" for trace in spec["data"])  # grid along the values only
    _axes(spec, "x", title=dict(text=x_title), showgrid=horizontal, **axes)
    _axes(spec, "y", title=dict(text=y_title), showgrid=not horizontal, **axes)
    return go.Figure(spec)


def narrow(fig: go.Figure, width: int = PHONE_WIDTH) -> go.Figure:
    """A copy of a styled figure for a phone's screen: its title, subtitle and x axis title wrapped to fit
    `width` px, panel names shortened to fit, and its legend on top in as many rows as it takes there, the
    plot moved down by what they add."""
    narrowed = go.Figure(fig)
    title, added = narrowed.layout.title, 0.0
    for part, size in ((title, TITLE_SIZE), (title.subtitle, SMALL_SIZE)):
        if part.text:
            part.text = _wrapped(part.text, size, width)
            added += part.text.count("<br>") * size * LINE_HEIGHT
    # Plotly centres a title's lines on where its first line would be: move them down by half the lines added.
    title_lines = title.text.count("<br>") if title.text else 0
    title.pad.t = (title.pad.t or 0) + math.ceil(title_lines * TITLE_SIZE * LINE_HEIGHT / 2)
    plot = _plot_width(narrowed, width)
    for axis in narrowed.select_xaxes():  # automargin makes room for the lines below the plot
        if axis.title.text:
            axis.title.text = _wrapped(axis.title.text, FONT["size"], plot)
    # A note at a date (_mark_dates) goes on the side of its line with more room, in a smaller font
    # (down to NOTE_SIZE) where it would run off the plot.
    dated = [note for note in narrowed.layout.annotations if note.xref in (None, "x") and note.xanchor != "center"]
    if dated:
        dates = [trace.x for trace in narrowed.data if getattr(trace, "x", None) is not None]
        days = [pd.Timestamp(day) for values in dates for day in values]
        first, span = min(days), (max(days) - min(days)) or pd.Timedelta(1)
        for note in dated:
            at = (pd.Timestamp(note.x) - first) / span
            side, room = ("right", at * plot) if at > 0.5 else ("left", (1 - at) * plot)
            fitting = room / (len(note.text) * CHARACTER_WIDTH)  # the font size at which it fits
            note.update(
                xanchor=side,
                xshift=abs(note.xshift or 0) * (-1 if side == "right" else 1),
                font_size=max(min(note.font.size or FONT["size"], fitting), NOTE_SIZE),
            )
    # The names above side-by-side panels (compare_pyramids) shortened to a panel's width; the whole name
    # is in the hover of its bars.
    panels = [note for note in narrowed.layout.annotations if note.yref == "paper" and note.y == 1]
    for note in panels:
        fits = int(plot / len(panels) / ((note.font.size or FONT["size"]) * CHARACTER_WIDTH))
        note.text = formatting.shortened(note.text, fits)
    legend, traces = narrowed.layout.legend, [trace.to_plotly_json() for trace in narrowed.data]
    if narrowed.layout.showlegend is not False and legend.orientation == "v":  # a legend at the right: on top
        narrowed.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0))
        added += LEGEND_ROW * _legend_rows(traces, width)
    elif narrowed.layout.showlegend is not False and legend.orientation == "h":
        added += LEGEND_ROW * (_legend_rows(traces, width) - _legend_rows(traces))
    # The figure grows by what was added above the plot, which keeps its height.
    return narrowed.update_layout(
        margin_t=(narrowed.layout.margin.t or 0) + math.ceil(added),
        height=(narrowed.layout.height or DEFAULT_HEIGHT) + math.ceil(added),
    )


def _plot_width(fig: go.Figure, width: int) -> int:
    """About how wide the plot is in a figure `width` px wide, beside the y axis's labels: the names of
    horizontal bars, else numbers. An x axis title is centred under the plot and must fit about as wide."""
    bars = [trace.y for trace in fig.data if getattr(trace, "orientation", None) == "h" and trace.y is not None]
    names = [str(name) for names in bars for name in names]
    labels = max(map(len, names), default=6) * SMALL_SIZE * CHARACTER_WIDTH
    return max(width - int(labels) - 20, width // 3)


def _wrapped(text: str, size: int, width: int) -> str:
    """`text` in lines of at most `width` px at font `size`, joined for plotly."""
    return "<br>".join(textwrap.wrap(text, width=int(width / (size * CHARACTER_WIDTH)), break_long_words=False))


def _texts(values, render) -> list[str]:
    return [render(value) for value in values]


def _nice_step(span: float, ticks: int = 3) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `ticks` ticks over `span`."""
    if not span or math.isnan(span):
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def _percent_digits(step: float) -> int:
    return max(0, -math.floor(math.log10(step * 100) + 1e-9))


def _date_ticks(first: date, last: date, lang: str) -> tuple[list[date], list[str]]:
    """Ticks on the 1st and 15th of each month, labelled in the language (15 Feb, 1 Mar, ...)."""
    days = [day.date() for day in pd.date_range(first, last, freq="D") if day.day in (1, 15)]
    return days, [format_date(day, format="d MMM", locale=formatting.locale(lang)) for day in days]


def households(count, lang: str) -> str:
    """A count of households in words: 3.040 KK (id), 3,040 households (en)."""
    return t("hover.households", lang, value=formatting.number(count, lang))


def _rows_height(rows: int) -> int:
    return max(320, 150 + ROW_HEIGHT * rows)


# ---------------------------------------------------------------- population


def pyramid(
    frame: pd.DataFrame,
    lang: str,
    *,
    area: str,
    measure: str = "persons",
    parent: pd.DataFrame | None = None,
    parent_name: str | None = None,
) -> go.Figure:
    """The population pyramid from the population_pyramid query: males to the left, females to the
    right, in persons or in shares of the whole population; for data by age alone (sex missing), the
    persons of each age group to the right. With `parent` (the parent area's pyramid), its shape is
    outlined for comparison: its shares, scaled to this area's size when the pyramid is drawn in persons."""
    if measure not in ("persons", "share"):
        raise ValueError(f"measure must be 'persons' or 'share', got {measure!r}")
    by_sex = frame["sex"].notna().any()
    sexes = (1, 2) if by_sex else (None,)
    if parent is not None and not by_sex:
        parent = parent.groupby(["age_group", "lower"], as_index=False)["share"].sum(min_count=1).assign(sex=None)
    order = frame.drop_duplicates("age_group").sort_values("lower")["age_group"].tolist()
    outline = t("legend.outline", lang, parent=formatting.chart_text(parent_name))
    render = (lambda v: formatting.number(v, lang)) if measure == "persons" else (lambda v: formatting.percent(v, lang))
    spec = _spec()
    extent = 0.0
    for sex in sexes:
        part = frame[frame["sex"] == sex] if sex else frame
        values = part[measure].astype(float)
        sign = -1 if sex == 1 else 1
        extent = max(extent, np.nanmax(values.to_numpy(), initial=0.0))
        name = sex_label(sex, lang) if sex else t("sex.all", lang)
        spec["data"].append(
            dict(
                type="bar",
                y=part["age_group"],
                x=sign * values,
                orientation="h",
                name=name,
                marker=dict(color=SEX_COLOURS.get(sex, GREY)),
                customdata=_texts(values, render),
                hovertemplate="%{y}: %{customdata}<extra>" + name + "</extra>",
            )
        )
    if parent is not None:
        scale = frame["persons"].sum() if measure == "persons" else 1.0
        for sex in sexes:
            part = parent[parent["sex"] == sex] if sex else parent
            values = part["share"].astype(float) * scale
            extent = max(extent, np.nanmax(values.to_numpy(), initial=0.0))
            spec["data"].append(
                dict(
                    type="bar",
                    y=part["age_group"],
                    x=(-1 if sex == 1 else 1) * values,
                    orientation="h",
                    name=outline,
                    legendgroup="outline",
                    showlegend=sex == 1,
                    marker=dict(color="rgba(0,0,0,0)", line=dict(color=BLACK, width=2)),
                    customdata=_texts(values, render),
                    hovertemplate="%{y}: %{customdata}<extra>" + outline + "</extra>",
                )
            )
    step = _nice_step(extent, ticks=4)
    ticks = np.arange(-math.floor(extent / step) * step if by_sex else 0, extent + step / 2, step)
    digits = _percent_digits(step)
    labels = [
        formatting.number(abs(v), lang) if measure == "persons" else formatting.percent(abs(v), lang, digits)
        for v in ticks
    ]
    _layout(
        spec,
        barmode="overlay",
        bargap=0.08,
        xaxis=dict(
            tickvals=ticks.tolist(),
            ticktext=labels,
            zeroline=True,
            zerolinecolor=BLACK,
            range=[-extent * 1.04 if by_sex else 0, extent * 1.04],
        ),
        yaxis=dict(categoryorder="array", categoryarray=order),
    )
    x_title = t("axis.persons" if measure == "persons" else "axis.share_population", lang)
    title = t("chart.pyramid" if by_sex else "chart.age_groups", lang)
    return style(spec, lang, title, subtitle=area, x_title=x_title, y_title=t("axis.age_group", lang), height=620)


def sex_ratio_by_age(frame: pd.DataFrame, lang: str, *, area: str) -> go.Figure:
    """Males per 100 females by age group (indicators.sex_ratio_by_age), as bars from parity, the
    age groups upwards as in the pyramid."""
    ratios = frame["sex_ratio"].astype(float)
    spec = _spec(
        dict(
            type="bar",
            y=frame["age_group"],
            x=ratios - 100,
            base=100,
            orientation="h",
            showlegend=False,
            marker=dict(color=np.where(ratios >= 100, BLUE, VERMILLION).tolist()),
            customdata=_texts(ratios, lambda v: formatting.decimal(v, lang, 1)),
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        ),
        dict(
            type="scatter",
            y=frame["age_group"],
            x=[100] * len(frame),
            mode="lines",
            name=t("legend.parity", lang),
            line=dict(color=BLACK, width=2, dash="dash"),
            hoverinfo="skip",
        ),
    )
    _layout(
        spec,
        bargap=0.08,
        yaxis=dict(categoryorder="array", categoryarray=frame.sort_values("lower")["age_group"].tolist()),
    )
    return style(
        spec,
        lang,
        t("chart.sex_ratio_by_age", lang),
        subtitle=area,
        x_title=t("axis.sex_ratio", lang),
        y_title=t("axis.age_group", lang),
        height=620,
    )


# ---------------------------------------------------------------- education


def _withheld(frame: pd.DataFrame, category: str) -> pd.Series:
    """Per bar (value of `category`), the share small-cell protection withheld: what its known shares
    leave of 100%, where any share is missing (NaN); bars without a missing share are not in it."""
    shares = frame.groupby(category, sort=False)["share"]
    hidden = shares.apply(lambda share: share.isna().any())
    return (1 - shares.sum()[hidden]).clip(lower=0)


def education_by_sex(frame: pd.DataFrame, lang: str, *, area: str) -> go.Figure:
    """Highest education by sex (education_by_sex query): the share of each sex at each level; what
    small-cell protection withheld is one more row, so each sex's bars still add up to 100%."""
    labels = education_labels(lang)
    order = [labels[code] for code in sorted(frame["education"].unique())]
    withheld = _withheld(frame, "sex")
    if not withheld.empty:
        order.append(t("data.withheld", lang))
    spec = _spec()
    for sex in (2, 1):
        part = frame[frame["sex"] == sex].sort_values("education")
        levels, shares = part["education"].map(labels).tolist(), part["share"].tolist()
        persons = part["persons"].tolist()
        if not withheld.empty:
            levels.append(t("data.withheld", lang))
            shares.append(withheld.get(sex, 0.0))
            persons.append(np.nan)
        spec["data"].append(
            dict(
                type="bar",
                y=levels,
                x=shares,
                orientation="h",
                name=sex_label(sex, lang),
                marker=dict(color=SEX_COLOURS[sex]),
                customdata=np.column_stack(
                    [
                        _texts(shares, lambda v: formatting.percent(v, lang, 1)),
                        _texts(persons, lambda v: formatting.number(v, lang)),
                    ]
                ),
                hovertemplate="%{y}: %{customdata[0]} (%{customdata[1]})<extra>" + sex_label(sex, lang) + "</extra>",
            )
        )
    _layout(
        spec,
        barmode="group",
        bargap=0.2,
        legend=dict(traceorder="reversed"),
        xaxis=dict(tickformat=".0%"),
        yaxis=dict(categoryorder="array", categoryarray=order),
    )
    return style(
        spec,
        lang,
        t("chart.education_by_sex", lang),
        subtitle=area,
        x_title=t("axis.share_within_sex", lang),
        height=560,
    )


def _education_stack(spec: Spec, frame: pd.DataFrame, category: str, lang: str, horizontal: bool) -> None:
    """One trace per level, lowest first, each over every bar (in the frame's order) so that the
    segments stack in the legend's order; then what protection withheld, as a labelled band at the
    end, so that each bar reaches 100%."""
    labels = education_labels(lang)
    levels = sorted(labels)
    colours = dict(zip(levels, education_colours(len(levels))))
    bars = frame[category].drop_duplicates().tolist()
    axis = "%{y}" if horizontal else "%{x}"

    def add(shares: pd.Series, name: str, customdata, hover: str, **marker) -> None:
        axes = dict(y=bars, x=shares, orientation="h") if horizontal else dict(x=bars, y=shares)
        spec["data"].append(
            dict(
                type="bar",
                **axes,
                name=name,
                marker=marker,
                customdata=customdata,
                hovertemplate=f"{axis}: {hover}<extra>{name}</extra>",
            )
        )

    for code in levels:
        part = frame[frame["education"] == code].set_index(category).reindex(bars)
        texts = np.column_stack(
            [
                _texts(part["share"], lambda v: formatting.percent(v, lang, 1)),
                _texts(part["persons"], lambda v: formatting.number(v, lang)),
            ]
        )
        # Zero, not NaN, where withheld: plotly.js starts the rest of a stack at 0 after a missing value.
        add(part["share"].fillna(0.0), labels[code], texts, "%{customdata[0]} (%{customdata[1]})", color=colours[code])
    withheld = _withheld(frame, category).reindex(bars)
    if withheld.notna().any():
        add(
            withheld.fillna(0.0),
            t("data.withheld", lang),
            _texts(withheld, lambda v: formatting.percent(v, lang, 1)),
            "%{customdata}",
            color="#E4E4E4",
            pattern=dict(shape="/", fgcolor=GREY, solidity=0.2),
        )
    _layout(spec, barmode="stack", bargap=0.15)


def education_by_age(frame: pd.DataFrame, lang: str, *, area: str) -> go.Figure:
    """Highest education within each age group (education_by_age query), stacked to 100%."""
    spec = _spec()
    _education_stack(spec, frame, "age_group", lang, horizontal=False)
    _layout(
        spec,
        xaxis=dict(categoryorder="array", categoryarray=frame.drop_duplicates("age_group")["age_group"].tolist()),
        yaxis=dict(tickformat=".0%", range=[0, 1]),
    )
    return style(
        spec,
        lang,
        t("chart.education_by_age", lang),
        subtitle=area,
        x_title=t("axis.age_group", lang),
        y_title=t("axis.share_within_age", lang),
        height=560,
        legend="right",
    )


def education_by_area(frame: pd.DataFrame, lang: str, *, title: str, subtitle: str | None = None) -> go.Figure:
    """Highest education of several areas, one bar each stacked to 100%, in the frame's order
    (education_by_child_area gives its rank order, highest share with higher education on top)."""
    order = frame.drop_duplicates("name")["name"].tolist()
    spec = _spec()
    _education_stack(spec, _names_as_text(frame), "name", lang, horizontal=True)
    _layout(spec, xaxis=dict(tickformat=".0%", range=[0, 1]))
    _name_axis(spec, order[::-1])
    return style(
        spec,
        lang,
        title,
        subtitle=subtitle,
        x_title=t("axis.share_within_area", lang),
        height=_rows_height(len(order)) + 60,
        legend="right",
    )


def education_by_child_area(frame: pd.DataFrame, lang: str, *, level: str) -> go.Figure:
    """The education_by_child_area query, ranked by the share with higher education."""
    return education_by_area(
        frame,
        lang,
        title=t("chart.education_by_child_area", lang, level=level_noun(level, lang)),
        subtitle=t("chart.education_ranked", lang),
    )


# ---------------------------------------------------------------- SP Online and ASN


def _ranked_rates(names: pd.Series, rates: pd.Series, targets: pd.Series, hover: list[str], lang: str) -> Spec:
    """Horizontal bars of completion rates, best at the top, coloured by whether each reached its
    target, with the target marked on every bar; `names` as written in users' files."""
    order = pd.DataFrame({"written": names, "rate": rates, "target": targets, "hover": hover})
    order = order.sort_values("rate", ascending=True, kind="stable", na_position="first")
    order["name"] = order["written"].map(formatting.chart_text)
    reached = order["rate"] >= order["target"]
    spec = _spec()
    for label, rows, colour in (("legend.reached", order[reached], GREEN), ("legend.below", order[~reached], ORANGE)):
        spec["data"].append(
            dict(
                type="bar",
                y=rows["name"],
                x=rows["rate"],
                orientation="h",
                name=t(label, lang),
                marker=dict(color=colour),
                customdata=rows["hover"],
                hovertemplate="%{y}<br>%{customdata}<extra></extra>",
            )
        )
    unique_targets = order["target"].dropna().unique()
    target_name = (
        t("legend.target", lang, value=formatting.percent(unique_targets[0], lang, 1))
        if len(unique_targets) == 1
        else t("col.target", lang)
    )
    spec["data"].append(
        dict(
            type="scatter",
            y=order["name"],
            x=order["target"],
            mode="markers",
            name=target_name,
            marker=dict(symbol="line-ns", size=ROW_HEIGHT - 4, line=dict(width=3, color=BLACK), color=BLACK),
            hoverinfo="skip",
        )
    )
    _layout(spec, barmode="overlay", bargap=0.25, xaxis=dict(tickformat=".0%", rangemode="tozero"))
    _name_axis(spec, order["written"].tolist())
    _axes(spec, "y", range=[-0.5, len(order) - 0.5])
    return spec


def online_by_area(frame: pd.DataFrame, lang: str, *, level: str, on: date) -> go.Figure:
    """SP Online households complete against the target, by area (online_by_child_area or
    online_villages query), highest rate at the top."""
    hover = [
        t("hover.of", lang, part=formatting.percent(rate, lang, 1), whole=households(base, lang))
        + " · "
        + t("col.target", lang)
        + " "
        + formatting.percent(target, lang, 1)
        for rate, base, target in zip(frame["rate"], frame["base"], frame["target"])
    ]
    spec = _ranked_rates(frame["name"], frame["rate"], frame["target"], hover, lang)
    return style(
        spec,
        lang,
        t("chart.online_by_child_area", lang, level=level_noun(level, lang)),
        subtitle=formatting.long_date(on, lang),
        x_title=t("axis.online_rate", lang),
        height=_rows_height(len(frame)),
    )


def submitted_vs_complete(frame: pd.DataFrame, lang: str, *, level: str, on: date) -> go.Figure:
    """Households that submitted against households complete (clean), by area."""
    ordered = frame.sort_values("complete", kind="stable")
    written, ordered = ordered["name"].tolist(), _names_as_text(ordered)
    spec = _spec()
    for column, label, colour in (("submitted", "legend.submitted", SKY_BLUE), ("complete", "legend.complete", BLUE)):
        spec["data"].append(
            dict(
                type="bar",
                y=ordered["name"],
                x=ordered[column],
                orientation="h",
                name=t(label, lang),
                marker=dict(color=colour),
                customdata=_texts(ordered[column], lambda v: households(v, lang)),
                hovertemplate="%{y}: %{customdata}<extra>" + t(label, lang) + "</extra>",
            )
        )
    _layout(spec, barmode="group", bargap=0.2, legend=dict(traceorder="reversed"))
    _name_axis(spec, written)
    return style(
        spec,
        lang,
        t("chart.submitted_vs_complete", lang, level=level_noun(level, lang)),
        subtitle=formatting.long_date(on, lang),
        x_title=t("axis.households", lang),
        height=_rows_height(2 * len(frame)),
    )


def _date_axis(spec: Spec, dates: pd.Series, lang: str) -> None:
    first, last = dates.min(), dates.max()
    tickvals, ticktext = _date_ticks(first, last, lang)
    pad = (last - first) * 0.03
    # Set a little below the axis: the first date is under the y axis's lowest number ("0%").
    _axes(spec, "x", tickvals=tickvals, ticktext=ticktext, range=[first - pad, last + pad], ticklabelstandoff=6)


def _rate_top(*rates: pd.Series | float) -> float:
    """The top of a rate axis: a little above the highest rate or target drawn."""
    highest = max(float(np.nanmax(np.atleast_1d(np.asarray(rate, dtype=float)), initial=0.0)) for rate in rates)
    return min(1.0, highest * 1.1) if highest > 0 else 1.0


def _mark_dates(spec: Spec, marks: list[tuple[date, str, str, str]], dates: pd.Series, top: float) -> None:
    """Vertical lines at dates (deadlines, the chosen date), each labelled near its foot, where
    cumulative progress leaves room: to the right of the line, or to its left near the end of the
    period; the labels step upwards so that close dates stay legible."""
    first, last = dates.min(), dates.max()
    for index, (day, label, colour, dash) in enumerate(marks):
        spec["data"].append(
            dict(
                type="scatter",
                x=[day, day],
                y=[0, top],
                mode="lines",
                line=dict(color=colour, width=2, dash=dash),
                showlegend=False,
                hoverinfo="skip",
            )
        )
        near_end = day > first + (last - first) * 0.7
        spec["layout"].setdefault("annotations", []).append(
            dict(
                x=day,
                y=0.03 + 0.09 * index,
                yref="paper",
                text=label,
                showarrow=False,
                xanchor="right" if near_end else "left",
                yanchor="bottom",
                xshift=-4 if near_end else 4,
                font=dict(size=SMALL_SIZE, color=colour),
                bgcolor="rgba(255,255,255,0.85)",
            )
        )
    _axes(spec, "y", range=[0, top])


def _deadline_marks(deadlines: dict[str, date], lang: str) -> list[tuple[date, str, str, str]]:
    """The original and the extended SP Online deadline, as marks for _mark_dates."""
    return [
        (
            deadlines[key],
            t(f"legend.deadline_{key}", lang, date=formatting.short_date(deadlines[key], lang)),
            colour,
            dash,
        )
        for key, colour, dash in (("original", GREY, "dot"), ("extended", BLACK, "solid"))
    ]


def _chosen_mark(on: date | None, lang: str) -> list[tuple[date, str, str, str]]:
    """The chosen date as a mark for _mark_dates, if there is one."""
    if on is None:
        return []
    return [(on, f"{t('legend.chosen_date', lang)} {formatting.short_date(on, lang)}", VERMILLION, "dash")]


def _target_line(spec: Spec, dates: pd.Series, target: float, lang: str) -> None:
    spec["data"].append(
        dict(
            type="scatter",
            x=[dates.min(), dates.max()],
            y=[target, target],
            mode="lines",
            line=dict(color=BLACK, width=2, dash="dash"),
            name=t("legend.target", lang, value=formatting.percent(target, lang, 1)),
            hoverinfo="skip",
        )
    )


def _hover_dates(dates: pd.Series, lang: str) -> list[str]:
    return [formatting.short_date(day, lang) for day in dates]


def online_trend(
    frame: pd.DataFrame, lang: str, *, area: str, deadlines: dict[str, date], on: date | None = None
) -> go.Figure:
    """SP Online day by day (online_trend query): shares of base households submitted and complete,
    the target, the original and the extended deadline, and the chosen date; with a `needed` column
    (sensus.briefing), the path needed from the chosen date to the target by the deadline."""
    days = _hover_dates(frame["date"], lang)
    spec = _spec()
    for rate, counts, label, colour, width in (
        (frame["submitted"] / frame["base"], frame["submitted"], "legend.submitted", SKY_BLUE, 3),
        (frame["rate"], frame["complete"], "legend.complete", BLUE, 4),
    ):
        spec["data"].append(
            dict(
                type="scatter",
                x=frame["date"],
                y=rate,
                mode="lines",
                name=t(label, lang),
                line=dict(color=colour, width=width),
                customdata=np.column_stack(
                    [
                        days,
                        _texts(rate, lambda v: formatting.percent(v, lang, 1)),
                        _texts(counts, lambda v: households(v, lang)),
                    ]
                ),
                hovertemplate="%{customdata[0]}: %{customdata[1]} (%{customdata[2]})<extra>"
                + t(label, lang)
                + "</extra>",
            )
        )
    _target_line(spec, frame["date"], float(frame["target"].iloc[0]), lang)
    if "needed" in frame:
        spec["data"].append(
            dict(
                type="scatter",
                x=frame["date"],
                y=frame["needed"],
                mode="lines",
                name=t("legend.pace_needed", lang),
                line=dict(color=VERMILLION, width=3, dash="dot"),
                customdata=np.column_stack([days, _texts(frame["needed"], lambda v: formatting.percent(v, lang, 1))]),
                hovertemplate="%{customdata[0]}: %{customdata[1]}<extra>" + t("legend.pace_needed", lang) + "</extra>",
            )
        )
    _mark_dates(
        spec,
        _chosen_mark(on, lang) + _deadline_marks(deadlines, lang),
        frame["date"],
        top=_rate_top(frame["submitted"] / frame["base"], frame["target"]),
    )
    _date_axis(spec, frame["date"], lang)
    _axes(spec, "y", tickformat=".0%")
    return style(
        spec, lang, t("chart.online_trend", lang), subtitle=area, y_title=t("axis.online_rate", lang), height=540
    )


def asn_by_agency(frame: pd.DataFrame, lang: str, *, on: date) -> go.Figure:
    """ASN completion by agency (asn_by_agency query) against the target, short names on the axis."""
    hover = [
        f"{formatting.chart_text(name)}<br>"
        + t("hover.of", lang, part=formatting.number(complete, lang), whole=formatting.number(employees, lang))
        + " = "
        + formatting.percent(rate, lang, 1)
        for name, complete, employees, rate in zip(frame["name"], frame["complete"], frame["employees"], frame["rate"])
    ]
    spec = _ranked_rates(frame["short_name"], frame["rate"], frame["target"], hover, lang)
    return style(
        spec,
        lang,
        t("chart.asn_by_agency", lang),
        subtitle=formatting.long_date(on, lang),
        x_title=t("axis.asn_rate", lang),
        height=_rows_height(len(frame)),
    )


def asn_trend(frame: pd.DataFrame, lang: str, *, on: date | None = None) -> go.Figure:
    """ASN completion day by day (asn_trend query) with the target and the chosen date."""
    days = _hover_dates(frame["date"], lang)
    spec = _spec(
        dict(
            type="scatter",
            x=frame["date"],
            y=frame["rate"],
            mode="lines",
            name=t("legend.complete", lang),
            line=dict(color=BLUE, width=4),
            customdata=np.column_stack(
                [
                    days,
                    _texts(frame["rate"], lambda v: formatting.percent(v, lang, 1)),
                    _texts(frame["complete"], lambda v: formatting.number(v, lang)),
                ]
            ),
            hovertemplate="%{customdata[0]}: %{customdata[1]} (%{customdata[2]})<extra></extra>",
        )
    )
    _target_line(spec, frame["date"], float(frame["target"].iloc[0]), lang)
    _mark_dates(spec, _chosen_mark(on, lang), frame["date"], top=1.0)
    _date_axis(spec, frame["date"], lang)
    _axes(spec, "y", tickformat=".0%", range=[0, 1])
    return style(spec, lang, t("chart.asn_trend", lang), y_title=t("axis.asn_rate", lang), height=460)


# ---------------------------------------------------------------- comparisons


def compare_pyramids(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Pyramids of several areas side by side, in shares so that areas of any size compare; the
    frame is population_pyramid results with a `name` column, one area after the other. The panels
    share the age axis and the share scale; each is named above it."""
    names = frame["name"].drop_duplicates().tolist()
    order = frame.drop_duplicates("age_group").sort_values("lower")["age_group"].tolist()
    extent = float(np.nanmax(frame["share"].to_numpy(dtype=float), initial=0.0))
    step = _nice_step(extent, ticks=2)
    ticks = np.arange(-math.floor(extent / step) * step, extent + step / 2, step)
    labels = [formatting.percent(abs(v), lang, _percent_digits(step)) for v in ticks]
    scale = dict(tickvals=ticks.tolist(), ticktext=labels, range=[-extent * 1.08, extent * 1.08], anchor="y")
    gap = 0.03
    width = (1 - gap * (len(names) - 1)) / len(names)
    spec = _spec()
    annotations = spec["layout"]["annotations"] = []
    for index, name in enumerate(names):
        axis = "x" if index == 0 else f"x{index + 1}"
        left = index * (width + gap)
        spec["layout"][f"xaxis{index + 1 if index else ''}"] = dict(domain=[left, left + width], **scale)
        annotations.append(
            dict(
                text=_label(name),
                x=left + width / 2,
                xanchor="center",  # plotly's "auto" would put the last panel's name to the left of its centre
                y=1,
                xref="paper",
                yref="paper",
                yanchor="bottom",
                showarrow=False,
                font=dict(size=FONT["size"]),
            )
        )
        for sex in (1, 2):
            part = frame[(frame["name"] == name) & (frame["sex"] == sex)]
            spec["data"].append(
                dict(
                    type="bar",
                    y=part["age_group"],
                    x=(-1 if sex == 1 else 1) * part["share"],
                    orientation="h",
                    xaxis=axis,
                    name=sex_label(sex, lang),
                    legendgroup=str(sex),
                    showlegend=index == 0,
                    marker=dict(color=SEX_COLOURS[sex]),
                    customdata=_texts(part["share"], lambda v: formatting.percent(v, lang)),
                    hovertemplate=formatting.chart_text(name)
                    + ", %{y}: %{customdata}<extra>"
                    + sex_label(sex, lang)
                    + "</extra>",
                )
            )
    _layout(spec, barmode="overlay", bargap=0.08, yaxis=dict(categoryorder="array", categoryarray=order))
    fig = style(spec, lang, t("chart.compare_pyramids", lang), y_title=t("axis.age_group", lang), height=620)
    return fig.update_layout(margin_t=fig.layout.margin.t + 30, legend_y=1.06)  # room for the panels' names


def compare_online(frame: pd.DataFrame, lang: str, *, deadlines: dict[str, date]) -> go.Figure:
    """SP Online households complete day by day for several areas (online_trend results with a
    `name` column), with the target and the deadlines."""
    spec = _spec()
    for index, (name, part) in enumerate(frame.groupby("name", sort=False)):
        spec["data"].append(
            dict(
                type="scatter",
                x=part["date"],
                y=part["rate"],
                mode="lines",
                name=_label(name),
                line=dict(color=SERIES[index % len(SERIES)], width=3),
                customdata=np.column_stack(
                    [_hover_dates(part["date"], lang), _texts(part["rate"], lambda v: formatting.percent(v, lang, 1))]
                ),
                hovertemplate="%{customdata[0]}: %{customdata[1]}<extra>" + formatting.chart_text(name) + "</extra>",
            )
        )
    _target_line(spec, frame["date"], float(frame["target"].iloc[0]), lang)
    _mark_dates(spec, _deadline_marks(deadlines, lang), frame["date"], top=_rate_top(frame["rate"], frame["target"]))
    _date_axis(spec, frame["date"], lang)
    _axes(spec, "y", tickformat=".0%")
    return style(spec, lang, t("chart.compare_online", lang), y_title=t("axis.online_rate", lang), height=500)
