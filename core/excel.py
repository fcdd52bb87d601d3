"""Excel (.xlsx) output shared by every list: one header row, typed cells, sensible widths."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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
        sheet.append(list(row))
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(_display(value)))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD.MM.YYYY"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _display(value) -> str:
    if isinstance(value, datetime.date):
        return "00.00.0000"
    return "" if value is None else str(value)


def xlsx_response(filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]):
    response = HttpResponse(build_workbook(title, headers, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
