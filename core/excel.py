"""Excel (.xlsx) output shared by every list: one header row, typed cells, sensible widths.

Every export goes through `build_workbook`, and it writes text as data: a cell whose text
starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return) is stored as a plain string,
so a meeting topic `=HYPERLINK(...)` is shown as typed and never evaluated.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([str(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(header)) for header in headers]
    for row in rows:
        sheet.append([_placeholder(value) for value in row])
        for index, (value, cell) in enumerate(zip(row, sheet[sheet.max_row], strict=False)):
            widths[index] = max(widths[index], len(_display(value)))
            if isinstance(value, str):
                # Assigned after append: openpyxl turns any text starting with "=" into a
                # formula on append; data_type "s" keeps it a shared string, shown as typed.
                cell.value = value
                cell.data_type = "s"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "DD.MM.YYYY"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _placeholder(value):
    """Text goes in after the row is appended (see build_workbook); other values as they are."""
    return None if isinstance(value, str) else value


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def _display(value) -> str:
    if isinstance(value, datetime.date):
        return "00.00.0000"
    return "" if value is None else str(value)


def xlsx_response(filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]):
    response = HttpResponse(build_workbook(title, headers, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
