"""Charts are inert SVG of a fixed size with Cyrillic labels, and render into a PDF."""

from __future__ import annotations

import datetime

from django.utils import translation

from core.pdf import html_to_pdf
from monitoring import charts


def monthly_svg() -> str:
    rows = [
        {"month": datetime.date(2026, m, 1), "meetings": m, "pairs_started": 1} for m in (9, 10)
    ]
    with translation.override("ru"):
        return charts.monthly_chart(rows)


def test_chart_is_an_svg_of_fixed_size_without_scripts_and_with_russian_labels():
    svg = monthly_svg()
    assert svg.startswith("<svg") and 'width="640"' in svg and 'height="340"' in svg
    assert "<script" not in svg.lower()
    assert "Встречи" in svg and "По месяцам" in svg


def test_chart_renders_inside_a_pdf():
    pdf = html_to_pdf(f"<html><body><h1>Мониторинг</h1>{monthly_svg()}</body></html>")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_counts_get_whole_number_ticks():
    from monitoring.charts import bar_chart

    svg = bar_chart("Пары", ["2025/2026", "2026/2027"], [("Пары", [1, 3])])
    assert ">0.2<" not in svg and ">0.5<" not in svg
    assert ">3<" in svg
