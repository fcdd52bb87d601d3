"""SVG charts rendered on the server with pygal, for the dashboards and the PDF reports alike.

Each function returns an SVG string with explicit width and height and no script inside
(pygal always adds its tooltip script; it is cut out, so the same SVG is inert in a browser
and in WeasyPrint). The numbers behind every chart are also shown in a table beside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pygal
from django.utils.html import escape
from django.utils.translation import gettext
from pygal.style import Style

FONT = "'Liberation Sans', 'DejaVu Sans', Arial, sans-serif"
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#6c757d"),
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    tooltip_font_family=FONT,
    title_font_size=15,
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    value_font_size=11,
)
SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
WIDTH, HEIGHT = 640, 340


def _config(title: str, width: int, height: int, **extra) -> dict:
    return {
        "title": title,
        "width": width,
        "height": height,
        "explicit_size": True,
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "print_values": False,
        "show_y_guides": True,
        "margin": 12,
        "margin_bottom": 24,
        "truncate_legend": -1,
        "truncate_label": -1,
        "no_data_text": gettext("No data"),
        **extra,
    }


def _integer_axis(chart, values) -> None:
    """Counts get whole-number ticks (pygal would label 0.2, 0.4, … for small counts)."""
    numbers = [value for value in values if value is not None]
    if not numbers or any(float(value) != int(value) for value in numbers):
        return
    top = max(int(max(numbers)), 1)
    step = max(math.ceil(top / 8), 1)
    chart.y_labels = list(range(0, top + step, step))


CHART_ID = re.compile(r'id="(chart-[0-9a-f-]+)"')


def _render(chart, title: str) -> str:
    """The SVG without its script; the legend's ids carry the chart's own id, so that two
    charts on one page do not repeat them (pygal names them `activate-serie-N` in each)."""
    svg = SCRIPT.sub("", chart.render(is_unicode=True))
    found = CHART_ID.search(svg)
    if found:
        svg = svg.replace('id="activate-serie-', f'id="{found.group(1)}-serie-')
    # A picture with a name; the numbers behind it are in the table beside it.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    rotate: int = 0,
) -> str:
    chart = pygal.Bar(**_config(title, width, height, x_label_rotation=rotate))
    chart.x_labels = [str(label) for label in labels]
    for name, values in series:
        chart.add(str(name), list(values))
    _integer_axis(chart, [value for _name, values in series for value in values])
    return _render(chart, title)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    rotate: int = 0,
) -> str:
    chart = pygal.Line(**_config(title, width, height, x_label_rotation=rotate, dots_size=3))
    chart.x_labels = [str(label) for label in labels]
    for name, values in series:
        chart.add(str(name), list(values))
    _integer_axis(chart, [value for _name, values in series for value in values])
    return _render(chart, title)


def horizontal_bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    series_name: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    chart = pygal.HorizontalBar(**_config(title, width, height, show_legend=False))
    chart.x_labels = [str(label) for label in labels]
    chart.add(str(series_name), list(values))
    _integer_axis(chart, values)
    return _render(chart, title)


# Charts of the dashboard ------------------------------------------------------------------


def monthly_chart(rows: list[dict]) -> str:
    """Meetings held and pairs started, per month of the academic year."""
    labels = [row["month"].strftime("%m.%Y") for row in rows]
    return bar_chart(
        gettext("By month"),
        labels,
        [
            (gettext("Meetings"), [row["meetings"] for row in rows]),
            (gettext("Pairs started"), [row["pairs_started"] for row in rows]),
        ],
        rotate=30,
    )


def yearly_chart(rows: list[dict]) -> str:
    """Pairs started, meetings and programs completed, per academic year."""
    labels = [row["year"] for row in rows]
    return line_chart(
        gettext("By year"),
        labels,
        [
            (gettext("Pairs started"), [row["pairs_started"] for row in rows]),
            (gettext("Programs completed"), [row["programs_completed"] for row in rows]),
        ],
    )


def compared_chart(title: str, labels: Sequence[str], current, previous, years: tuple[str, str]):
    """The same indicators for the year and the previous one, side by side."""
    return bar_chart(title, labels, [(years[1], previous), (years[0], current)])
