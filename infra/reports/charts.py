"""The charts of a report's PDF, drawn with reportlab.graphics: the top courses' enrollments,
the spread of learners' progress, and revenue per day.

Each bar carries its value as text, so the chart can be read (and searched) without a scale.
"""

from __future__ import annotations

from datetime import date, timedelta

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, HexColor

from schemas.analytics import CoursePopularityDataView, RevenueDataView, UserProgressDataView

WIDTH, HEIGHT = 760, 230
TOP_COURSES = 10
TITLE_CHARACTERS = 40
DAY_LABELS = 15  # at most this many day labels under the revenue chart
SERIES: tuple[Color, ...] = (
    HexColor("#1F2A44"),
    HexColor("#B08D57"),
    HexColor("#4E8098"),
    HexColor("#A23B72"),
)


def top_courses_chart(data: CoursePopularityDataView, font: str) -> Drawing:
    """Horizontal bars: the most enrolled courses' enrollments, the top one first."""
    top = data.courses[:TOP_COURSES][::-1]  # reportlab draws the first category lowest
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 230, 20, WIDTH - 270, HEIGHT - 40
    chart.data = [[course.enrollments for course in top] or [0]]
    chart.categoryAxis.categoryNames = [short(course.title) for course in top] or [""]
    style(chart, font, max(chart.data[0]))
    return drawn(chart)


def progress_chart(data: UserProgressDataView, font: str) -> Drawing:
    """Vertical bars: how many learners sit in each band of progress."""
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 60, 30, WIDTH - 100, HEIGHT - 50
    chart.data = [[bucket.users for bucket in data.distribution]]
    chart.categoryAxis.categoryNames = [bucket.label for bucket in data.distribution]
    style(chart, font, max(chart.data[0], default=0))
    return drawn(chart)


def revenue_chart(data: RevenueDataView, start: date, end: date, font: str) -> Drawing:
    """One line per currency: net revenue on every day of the range, zero on quiet days."""
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    currencies = sorted({line.currency for line in data.days}) or ["NGN"]
    by_day = {(line.day, line.currency): line.revenue for line in data.days}
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 70, 40, WIDTH - 160, HEIGHT - 60
    chart.data = [[by_day.get((day, cur), 0.0) for day in days] for cur in currencies]
    every = max(1, -(-len(days) // DAY_LABELS))
    chart.categoryAxis.categoryNames = [
        day.isoformat() if n % every == 0 else "" for n, day in enumerate(days)
    ]
    chart.categoryAxis.labels.angle, chart.categoryAxis.labels.boxAnchor = 30, "ne"
    chart.categoryAxis.joinAxisMode = "bottom"  # days stay under the chart when revenue dips
    values = [value for series in chart.data for value in series]
    chart.valueAxis.valueMin = min(0.0, *values)
    chart.valueAxis.valueMax = max(1.0, *values)
    for n in range(len(currencies)):
        chart.lines[n].strokeColor = SERIES[n % len(SERIES)]
        chart.lines[n].strokeWidth = 1.5
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    drawing = drawn(chart)
    drawing.add(legend(currencies, font))
    return drawing


def style(chart: HorizontalBarChart | VerticalBarChart, font: str, highest: float) -> None:
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(1, highest) * 1.1  # room for the value beside the bar
    chart.bars[0].fillColor = SERIES[0]
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.nudge = 8
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font


def legend(currencies: list[str], font: str) -> Legend:
    key = Legend()
    key.x, key.y, key.fontName = WIDTH - 70, HEIGHT - 30, font
    key.colorNamePairs = [(SERIES[n % len(SERIES)], c) for n, c in enumerate(currencies)]
    return key


def drawn(chart: object) -> Drawing:
    drawing = Drawing(WIDTH, HEIGHT)
    drawing.add(chart)
    return drawing


def short(title: str) -> str:
    return title if len(title) <= TITLE_CHARACTERS else title[: TITLE_CHARACTERS - 1] + "…"
