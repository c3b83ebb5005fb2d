"""The rakor briefing as a PowerPoint deck: one slide per briefing slide, with native charts built
from the data (editable in PowerPoint or LibreOffice, not pictures), tables, and on every slide the
area, the date, the source and, where it applies, the synthetic-data notice."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable

import pandas as pd
from lxml import etree
from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Inches, Pt

from sensus import charts, formatting, i18n
from sensus.briefing import Briefing, Slide, table
from sensus.i18n import t

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BODY_TOP, BODY_HEIGHT = Inches(1.75), Inches(4.75)
BODY_WIDTH = WIDTH - 2 * MARGIN
FOOTER_TOP = Inches(6.55)
INK, MUTED, ALERT = RGBColor(0x11, 0x11, 0x11), RGBColor(0x59, 0x59, 0x59), RGBColor(0xB0, 0x3A, 0x00)
TEXT = 14  # pt: the smallest text on a slide, a room's back row reads it
# The number formats of the charts, each led by the language's Windows locale id so that the deck shows
# the language's separators (40.000 and 6,6% in Indonesian; 40,000 and 6.6% in English) on any computer
# that honours it (LibreOffice does) rather than those of the computer it is opened on.
LOCALES = {"id": "[$-421]", "en": "[$-409]"}


def _format(code: str, lang: str) -> str:
    """A number format code (Excel's: "," groups thousands, "." marks decimals) in the language's locale."""
    return ";".join(LOCALES[lang] + section for section in code.split(";"))


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def to_pptx(briefing: Briefing) -> bytes:
    """The deck as the bytes of a .pptx file."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = WIDTH, HEIGHT
    blank = presentation.slide_layouts[6]
    for slide in briefing.slides:
        page = presentation.slides.add_slide(blank)
        if slide.key == "title":
            _title(page, briefing, slide)
            continue
        _heading(page, slide)
        BODIES[slide.key](page, slide, briefing.lang)
        _footer(page, briefing, slide)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- text


def _text(page: PptxSlide, left, top, width, height, lines: list[tuple[str, int, RGBColor, bool]]) -> None:
    """A text box with one paragraph per line: (text, size in points, colour, bold)."""
    frame = page.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for index, (text, size, colour, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _run(paragraph, text, size, colour, bold)


def _run(paragraph, text: str, size: int, colour: RGBColor, bold: bool) -> None:
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(size), bold
    run.font.color.rgb = colour


def _title(page: PptxSlide, briefing: Briefing, slide: Slide) -> None:
    lines = [
        (slide.title, 24, MUTED, False),
        (briefing.name, 54, INK, True),
        (slide.headline, 28, INK, False),
        (t("footer.dataset", briefing.lang, description=briefing.source), 16, MUTED, False),
    ]
    if briefing.synthetic:
        lines.append((t("synthetic.notice", briefing.lang), 20, ALERT, True))
    _text(page, MARGIN, Inches(2.2), BODY_WIDTH, Inches(4.5), lines)


def _heading(page: PptxSlide, slide: Slide) -> None:
    _text(
        page,
        MARGIN,
        Inches(0.3),
        BODY_WIDTH,
        Inches(1.4),
        [(slide.title, 16, MUTED, False), (slide.headline, 30, INK, True)],
    )


def _footer(page: PptxSlide, briefing: Briefing, slide: Slide) -> None:
    lines = [(slide.note, TEXT, MUTED, False)] if slide.note else []
    lines.append((briefing.stamp, TEXT, ALERT if briefing.synthetic else MUTED, False))
    _text(page, MARGIN, FOOTER_TOP, BODY_WIDTH, HEIGHT - FOOTER_TOP, lines)


# ---------------------------------------------------------------- charts


def _chart(page: PptxSlide, kind, data: CategoryChartData, *, legend: bool = True) -> Chart:
    chart = page.shapes.add_chart(kind, MARGIN, BODY_TOP, BODY_WIDTH, BODY_HEIGHT, data).chart
    chart.font.size = Pt(TEXT)
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    return chart


def _colour_series(chart: Chart, colours: list[str]) -> None:
    for series, colour in zip((s for plot in chart.plots for s in plot.series), colours):
        fill = series.format.fill
        fill.solid()
        fill.fore_color.rgb = _rgb(colour)
        series.format.line.color.rgb = _rgb(colour)


def _as_line(chart: Chart, series_index: int) -> None:
    """Move one series of a bar chart into a line chart sharing its axes (a combo chart: bars
    with a target line), which python-pptx cannot create directly."""
    plot_area = chart._chartSpace.chart.plotArea
    bars = plot_area.find(qn("c:barChart"))
    line = etree.Element(qn("c:lineChart"))
    etree.SubElement(line, qn("c:grouping")).set("val", "standard")
    etree.SubElement(line, qn("c:varyColors")).set("val", "0")
    line.append(bars.findall(qn("c:ser"))[series_index])
    etree.SubElement(line, qn("c:marker")).set("val", "1")
    for axis_id in bars.findall(qn("c:axId")):
        line.append(copy.deepcopy(axis_id))
    bars.addnext(line)


def _number_axis(chart: Chart, number_format: str, lang: str) -> None:
    labels = chart.value_axis.tick_labels
    labels.number_format, labels.number_format_is_linked = _format(number_format, lang), False
    chart.value_axis.has_major_gridlines = True


def _data_labels(chart: Chart, number_format: str, lang: str) -> None:
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.font.size = Pt(TEXT)
    plot.data_labels.number_format, plot.data_labels.number_format_is_linked = _format(number_format, lang), False


def _every_label(chart: Chart) -> None:
    """Show every category label (LibreOffice skips some on a crowded axis)."""
    axis = chart.category_axis
    axis.tick_labels.font.size = Pt(TEXT)
    skip = etree.Element(qn("c:tickLblSkip"))
    skip.set("val", "1")
    axis._element.get_or_add_lblOffset().addnext(skip)


def _rates_against_target(
    page: PptxSlide, names: pd.Series, rates: pd.Series, target: float, lang: str, series_name: str
) -> Chart:
    """Columns of completion rates in the given order, green where the target is reached, with
    the target as a line across them."""
    data = CategoryChartData(number_format=_format("0.0%", lang))
    data.categories = names.tolist()
    data.add_series(series_name, _values(rates))
    data.add_series(t("legend.target", lang, value=formatting.percent(target, lang, 1)), [target] * len(names))
    chart = _chart(page, XL_CHART_TYPE.COLUMN_CLUSTERED, data)
    _as_line(chart, 1)
    _colour_series(chart, [charts.ORANGE, charts.BLACK])
    bars = chart.plots[0].series[0]
    for index in [index for index, rate in enumerate(rates) if rate >= target]:
        bars.points[index].format.fill.solid()
        bars.points[index].format.fill.fore_color.rgb = _rgb(charts.GREEN)
    chart.plots[0].gap_width = 40
    _every_label(chart)
    _number_axis(chart, "0%", lang)
    return chart


def _values(series: pd.Series) -> list[float | None]:
    """Chart values, a withheld (missing) one left blank rather than drawn as zero."""
    return [None if pd.isna(value) else float(value) for value in series]


def _pyramid(page: PptxSlide, slide: Slide, lang: str) -> None:
    frame = slide.data
    wide = frame.pivot(index=["lower", "age_group"], columns="sex", values="persons").reset_index()
    data = CategoryChartData(number_format=_format("#,##0;#,##0", lang))
    data.categories = wide["age_group"].tolist()
    # Females first: a horizontal bar chart lists its legend in reverse, males then read first.
    data.add_series(i18n.sex_label(2, lang), _values(wide[2]))
    data.add_series(i18n.sex_label(1, lang), _values(-wide[1]))
    chart = _chart(page, XL_CHART_TYPE.BAR_CLUSTERED, data)
    chart.plots[0].overlap, chart.plots[0].gap_width = 100, 10
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    _colour_series(chart, [charts.SEX_COLOURS[2], charts.SEX_COLOURS[1]])
    _number_axis(chart, "#,##0;#,##0", lang)


def _education(page: PptxSlide, slide: Slide, lang: str) -> None:
    frame = slide.data
    labels = i18n.education_labels(lang)
    wide = frame.pivot(index="education", columns="sex", values="share").sort_index()
    data = CategoryChartData(number_format=_format("0.0%", lang))
    data.categories = [labels[code] for code in wide.index]
    for sex in (1, 2):
        data.add_series(i18n.sex_label(sex, lang), _values(wide[sex]))
    chart = _chart(page, XL_CHART_TYPE.COLUMN_CLUSTERED, data)
    chart.plots[0].gap_width = 60
    _data_labels(chart, "0%", lang)
    chart.category_axis.tick_labels.font.size = Pt(TEXT)
    _colour_series(chart, [charts.SEX_COLOURS[1], charts.SEX_COLOURS[2]])
    _number_axis(chart, "0%", lang)


def _online_areas(page: PptxSlide, slide: Slide, lang: str) -> None:
    frame = slide.data
    chart = _rates_against_target(
        page, frame["name"], frame["rate"], float(frame["target"].iloc[0]), lang, t("legend.complete", lang)
    )
    _data_labels(chart, "0.0%", lang)


def _online_trend(page: PptxSlide, slide: Slide, lang: str) -> None:
    frame = slide.data
    data = CategoryChartData(number_format=_format("0.0%", lang))
    data.categories = frame["date"].tolist()
    data.add_series(t("legend.complete", lang), _values(frame["rate"]))
    data.add_series(
        t("legend.target", lang, value=formatting.percent(frame["target"].iloc[0], lang, 1)), _values(frame["target"])
    )
    data.add_series(t("legend.pace_needed", lang), _values(frame["needed"]))
    chart = _chart(page, XL_CHART_TYPE.LINE, data)
    _colour_series(chart, [charts.BLUE, charts.BLACK, charts.VERMILLION])
    for series, width, dash in zip(chart.plots[0].series, (4, 2, 3), (None, "dash", "sysDot")):
        series.smooth = False
        series.format.line.width = Pt(width)
        if dash:
            series.format.line._get_or_add_ln().get_or_add_prstDash().set("val", dash)
    chart.category_axis.tick_labels.number_format = _format("d mmm", lang)
    chart.category_axis.tick_labels.number_format_is_linked = False
    _number_axis(chart, "0%", lang)


def _asn_agencies(page: PptxSlide, slide: Slide, lang: str) -> None:
    frame = slide.data
    _rates_against_target(
        page, frame["short_name"], frame["rate"], float(frame["target"].iloc[0]), lang, t("col.asn_complete", lang)
    )


def _table(
    page: PptxSlide,
    header: list[str],
    rows: list[list[str]],
    *,
    widths: list[float],
    size: int = TEXT,
    numeric_from: int = 1,
) -> None:
    """A table filling the body's width (column widths as shares), numbers right-aligned from
    column `numeric_from` on."""
    shape = page.shapes.add_table(
        len(rows) + 1, len(header), MARGIN, BODY_TOP, BODY_WIDTH, Emu(int(Inches(0.42)) * (len(rows) + 1))
    )
    table = shape.table
    for index, width in enumerate(widths):
        table.columns[index].width = Emu(int(BODY_WIDTH * width))
    for row_index, cells in enumerate([header, *rows]):
        for column, value in enumerate(cells):
            cell = table.cell(row_index, column)
            cell.text = value
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.font.size, paragraph.font.bold = Pt(size), row_index == 0
            if column >= numeric_from:
                paragraph.alignment = PP_ALIGN.RIGHT


def _indicators(page: PptxSlide, slide: Slide, lang: str) -> None:
    _table(page, *table(slide, lang), widths=[0.6, 0.4], size=18)


def _attention(page: PptxSlide, slide: Slide, lang: str) -> None:
    rows = table(slide, lang)
    if rows is not None:
        _table(page, *rows, widths=[0.24, 0.18, 0.13, 0.13, 0.16, 0.16], numeric_from=2)


def _sources(page: PptxSlide, slide: Slide, lang: str) -> None:
    """The sources and definitions in two columns, to keep them at the slides' smallest size."""
    frame = page.shapes.add_textbox(MARGIN, BODY_TOP - Inches(0.2), BODY_WIDTH, BODY_HEIGHT + Inches(0.2)).text_frame
    frame.word_wrap = True
    frame._txBody.bodyPr.set("numCol", "2")
    frame._txBody.bodyPr.set("spcCol", str(Inches(0.4)))
    for index, row in enumerate(slide.data.itertuples()):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(3)
        _run(paragraph, f"{row.label}: ", TEXT, INK, True)
        _run(paragraph, row.text, TEXT, INK, False)


BODIES: dict[str, Callable[[PptxSlide, Slide, str], None]] = {
    "indicators": _indicators,
    "pyramid": _pyramid,
    "education": _education,
    "online_areas": _online_areas,
    "online_trend": _online_trend,
    "asn_agencies": _asn_agencies,
    "attention": _attention,
    "sources": _sources,
}
