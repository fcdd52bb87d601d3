"""A dashboard table's columns: numbers right-aligned under a right-aligned header, names
and texts left, decided once per column in Python (`Table.header_cells`, `Cell.is_number`)."""

from __future__ import annotations

import datetime
import re

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from monitoring.tables import Cell, Table


def _classes(html: str, tag: str) -> list[str]:
    return [" ".join(c.split()) for c in re.findall(rf'<{tag} class="([^"]*)"', html)]


def test_numbers_are_right_aligned_texts_are_not(rf):
    table = Table("t", "Таблица", ["организация", "пар", "статус", "дата", "доля"])
    table.add("Школа № 1", 12, _("late"), datetime.date(2026, 11, 30), Cell(None, css="x"))
    table.add("Школа № 2", 0, "в срок", None, Cell(2.5, note="%"))
    html = render_to_string("monitoring/includes/table.html", {"table": table}, request=rf.get("/"))
    # Judged by the first row: the lazy «late» is a text, «—» for no value a number's place.
    assert _classes(html, "th") == ["", "text-end", "", "text-end", "text-end"]
    assert _classes(html, "td") == [
        "", "text-end", "", "text-end", "text-end x",
        "", "text-end", "", "text-end", "text-end",
    ]  # fmt: skip
    assert "30.11.2026" in html and "2,5" in html


def test_a_table_without_rows_has_plain_headers():
    assert Table("t", "Пусто", ["a", "b"]).header_cells == [("a", ""), ("b", "")]


def test_a_tables_fingerprint_changes_with_anything_it_prints():
    def table(**changes):
        cell = {"value": 12, "url": "/drill/", "css": "", "note": "", "hint": "", "code": "c"}
        heading = {"key": "t", "title": "Таблица", "headers": ["организация", "пар"], "note": ""}
        cell.update({k: v for k, v in changes.items() if k in cell})
        heading.update({k: v for k, v in changes.items() if k in heading})
        built = Table(**heading, chart=changes.get("chart", ""))
        built.add("Школа № 1", Cell(**cell))
        return built.fingerprint

    same = table()
    assert table() == same
    changed = [
        table(value=13), table(url="/other/"), table(css="x"), table(note="%"), table(hint="h"),
        table(code="d"), table(title="Другая"), table(headers=["организация", "пары"]),
        table(chart="<svg/>"), table(key="u"),
    ]  # fmt: skip
    assert same not in changed
