"""Render a report as a PDF (landscape A4, reportlab): a title, its range, a chart, then tables
of every number (the same columns the CSV has).

Text is real text (searchable, readable back), in a TrueType font with wide coverage as on
certificates, so titles and names in any script show. The output is the same bytes for the
same report (reportlab's invariant mode).
"""

from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as Grid

from infra.certificates.pdf import Fonts, font_files
from infra.reports.charts import progress_chart, revenue_chart, top_courses_chart
from infra.reports.tables import Table, sections
from schemas.analytics import (
    CoursePopularityDataView,
    ReportView,
    RevenueDataView,
    UserProgressDataView,
)

TITLES = {
    "coursePopularity": "Course popularity",
    "userProgress": "Learner progress",
    "revenue": "Revenue",
}
INK, MUTED, RULE, BAND = (HexColor(c) for c in ("#1F2A44", "#5B6270", "#C9CED6", "#F2F4F7"))
MARGIN = 36


@cache
def fonts() -> Fonts:
    # Registered once per process, on first use: reportlab's font registry is global.
    name, regular, bold = next(f for f in font_files() if f[1].is_file() and f[2].is_file())
    chosen = Fonts(f"Report-{name}", f"Report-{name}-Bold")
    pdfmetrics.registerFont(TTFont(chosen.regular, str(regular)))
    pdfmetrics.registerFont(TTFont(chosen.bold, str(bold)))
    return chosen


def render_pdf(report: ReportView) -> bytes:
    out = io.BytesIO()
    title = TITLES[report.type]
    document = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        invariant=True,
        title=f"{title} report",
        subject=report.report_id,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    document.build(story(report, title, fonts()))
    return out.getvalue()


def story(report: ReportView, title: str, font: Fonts) -> list[Flowable]:
    start, end = report.parameters.start_date, report.parameters.end_date
    generated = report.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    flowables: list[Flowable] = [
        Paragraph(f"{title} report", style(font.bold, 20, INK)),
        Paragraph(f"{start} to {end}, generated {generated}", style(font.regular, 10, MUTED)),
        Paragraph(summary(report), style(font.regular, 10, INK)),
        Spacer(0, 12),
        chart(report, font.regular),
    ]
    for table in sections(report):
        flowables += [Spacer(0, 12), Paragraph(table.title, style(font.bold, 13, INK))]
        flowables += [Spacer(0, 4), grid(table, font)]
    return flowables


def summary(report: ReportView) -> str:
    data = report.data
    if isinstance(data, CoursePopularityDataView):
        return f"Total enrollments: {data.total_enrollments}"
    if isinstance(data, UserProgressDataView):
        return f"Users: {data.total_users}"
    return f"Days with payments or refunds: {len(data.days)}"


def chart(report: ReportView, font: str) -> Flowable:
    data = report.data
    if isinstance(data, CoursePopularityDataView):
        return top_courses_chart(data, font)
    if isinstance(data, UserProgressDataView):
        return progress_chart(data, font)
    assert isinstance(data, RevenueDataView)
    assert report.parameters.start_date and report.parameters.end_date
    return revenue_chart(data, report.parameters.start_date, report.parameters.end_date, font)


def grid(table: Table, font: Fonts) -> Flowable:
    """Every cell a paragraph, so long titles wrap instead of running over the page."""
    head, body = style(font.bold, 7, white), style(font.regular, 8, INK)
    rows = [[Paragraph(escape(c.label), head) for c in table.columns]]
    rows += [[Paragraph(escape(cell), body) for cell in row] for row in table.rows()]
    if not table.items:
        rows.append([Paragraph("Nothing in this range", body)] + [""] * (len(table.columns) - 1))
    share = (landscape(A4)[0] - 2 * MARGIN) / sum(c.width for c in table.columns)
    drawn = Grid(rows, [c.width * share for c in table.columns], repeatRows=1, hAlign="LEFT")
    drawn.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), INK),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, BAND]),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return drawn


def style(font: str, size: float, colour: object) -> ParagraphStyle:
    return ParagraphStyle(font, fontName=font, fontSize=size, leading=size * 1.25, textColor=colour)
