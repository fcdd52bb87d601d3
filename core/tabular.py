"""One reader for the lists schools keep: .xlsx, .xls and .csv, read as people lay them out.

Headings are looked for in the first rows (a merged title above them, a heading split over
two rows, columns in any order, known synonyms); the sheet holding them is found by itself
or named by the user; cell values come back as Python values with their Excel address.
Every import (staff, needs list, monitoring entries) describes its columns and calls
`read_table`; the parsing of dates, numbers and spaces lives here once.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

from django.utils.functional import Promise
from django.utils.translation import gettext
from openpyxl.utils import get_column_letter

from core.dates import day_text
from core.text import normalize

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# A list of 10,000 rows unpacks to a few tens of megabytes; a zip bomb unpacks to far more.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
HEADING_ROWS = 15
MAX_COLUMNS = 60
EXTENSIONS = (".xlsx", ".xls", ".csv")
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Serial numbers of 01.01.1940 … 31.12.2099: what a date column may hold as a plain number.
SERIAL_RANGE = (14611, 73050)

MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_WORDY_DATE = re.compile(r"^(\d{1,2})\s+([а-я]+)\s+(\d{4})(?:\s*г\.?(?:ода?)?)?$")
_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")
_SPACES = re.compile(r"\s+")
_YEAR_SUFFIX = re.compile(r"\s*г\.?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"\W+")
_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?(?:/>|>(.*?)</c>)', re.DOTALL)
_VALUE = re.compile(rb"<v>[^<]+</v>")


class TableError(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""


@dataclass(frozen=True)
class Column:
    """A column an import understands: its field, the heading of the template, synonyms.

    `covers` names fields this one column can stand for (ФИО for last name, first name and
    patronymic), so a required field is satisfied by either form.
    """

    field: str
    label: Promise | str
    required: bool = False
    synonyms: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()


@dataclass
class Cell:
    value: object  # str (spaces normalized), float, int, bool, datetime.date, or None
    address: str
    formula_without_value: bool = False

    @property
    def text(self) -> str:
        return cell_text(self.value)


@dataclass
class Row:
    number: int  # as Excel shows it
    cells: dict[str, Cell]


@dataclass
class Table:
    sheet: str  # "" for a CSV file
    sheets: list[str]  # every sheet whose headings fit, for the user to pick from
    columns: dict[str, int]  # field → 0-based column index
    heading_rows: list[int]
    rows: list[Row] = field(default_factory=list)
    kind: str = "xlsx"


def heading_key(text: str) -> str:
    return _NOT_WORD.sub("", _PARENTHESES.sub("", normalize(text)))


def clean_text(text: str) -> str:
    """Single spaces, none at the ends (non-breaking spaces and tabs included)."""
    return _SPACES.sub(" ", text).strip()


def cell_text(value) -> str:
    """A cell as the user reads it."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return day_text(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))


def parse_date(value) -> datetime.date | None:
    """A date from an Excel date cell, an Excel serial number, дд.мм.гггг, гггг-мм-дд or
    «1 сентября 2015»; None when it is none of these."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(value)
    text = cell_text(value).casefold()
    if not text:
        return None
    if text.isdigit() and len(text) == 5:
        return _from_serial(int(text))
    text = _YEAR_SUFFIX.sub("", text)
    match = _NUMERIC_DATE.match(text)
    if match:  # the common case, without trying every format
        day, month, year = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return None
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    match = _WORDY_DATE.match(text)
    if match:
        day, month_word, year = match.groups()
        month = next(
            (number for stem, number in MONTHS.items() if _month_matches(month_word, stem)), None
        )
        if month:
            try:
                return datetime.date(int(year), month, int(day))
            except ValueError:
                return None
    return None


def _month_matches(word: str, stem: str) -> bool:
    if stem == "ма":  # май, мая
        return word in ("май", "мая")
    return word.startswith(stem)


def _from_serial(number: float) -> datetime.date | None:
    if not float(number).is_integer() or not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        return None
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))


def parse_number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = cell_text(value).replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


# ------------------------------------------------------------------------------ reading


def read_table(
    content: bytes, name: str, columns: Sequence[Column], sheet: str | None = None
) -> Table:
    """The rows of the sheet holding the headings, or TableError for the whole file."""
    kind = file_kind(content, name)
    if kind == "csv":
        grids = {"": _csv_grid(content)}
        formulas: dict[str, set[str]] = {}
    else:
        grids, formulas = _excel_grids(content, kind)
    lookup = _heading_lookup(columns)
    found: list[tuple[str, dict[str, int], list[int]]] = []
    best_missing: list[str] | None = None
    for sheet_name, grid in grids.items():
        columns_found, heading_rows, missing = _find_headings(grid, lookup, columns)
        if not missing:
            found.append((sheet_name, columns_found, heading_rows))
        elif best_missing is None or len(missing) < len(best_missing):
            best_missing = missing
    if not found:
        if all(not grid for grid in grids.values()):
            raise TableError(gettext("The file is empty."))
        raise TableError(
            gettext(
                "No sheet of the file has the column headings of the template. Missing: "
                "%(columns)s. Download the template and copy the data into it."
            )
            % {"columns": ", ".join(f"«{label}»" for label in best_missing or [])}
        )
    names = [item[0] for item in found]
    chosen = next((item for item in found if item[0] == sheet), None) or _fullest(found, grids)
    sheet_name, columns_found, heading_rows = chosen
    table = Table(
        sheet=sheet_name,
        sheets=names,
        columns=columns_found,
        heading_rows=heading_rows,
        kind=kind,
    )
    _fill_rows(table, grids[sheet_name], formulas.get(sheet_name, set()))
    if not table.rows:
        raise TableError(gettext("The file has headings but no rows below them."))
    return table


def _fullest(found, grids):
    """The sheet with the most rows below its headings (the first of equals)."""
    return max(found, key=lambda item: len(grids[item[0]]) - item[2][-1])


def file_kind(content: bytes, name: str) -> str:
    """xlsx, xls or csv by what the file is, refusing one whose content is not its name."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in EXTENSIONS:
        raise TableError(gettext("Upload an .xlsx, .xls or .csv file."))
    if len(content) > MAX_FILE_BYTES:
        raise TableError(
            gettext("The file is larger than %(size)s MB.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if content.startswith(XLSX_MAGIC):
        kind = "xlsx"
    elif content.startswith(XLS_MAGIC):
        kind = "xls"
    elif b"\x00" not in content[:4096] and not content.startswith(b"%PDF"):
        kind = "csv"
    else:
        kind = "other"
    if kind != suffix.lstrip(".") and not (kind in ("xlsx", "xls") and suffix != ".csv"):
        raise TableError(
            gettext(
                "This file is not really %(type)s. Save it from Excel as .xlsx, .xls or .csv "
                "and upload it again."
            )
            % {"type": suffix.lstrip(".").upper()}
        )
    return kind


def _excel_grids(content: bytes, kind: str) -> tuple[dict[str, list[list]], dict[str, set[str]]]:
    from python_calamine import CalamineWorkbook

    formulas: dict[str, set[str]] = {}
    if kind == "xlsx":
        formulas = _check_zip_and_find_formulas(content)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as error:  # a damaged file or another format: one clear message
        raise TableError(
            gettext(
                "The file cannot be read as an Excel workbook. Open it in Excel, save it and upload it again."
            )
        ) from error
    grids: dict[str, list[list]] = {}
    try:
        for metadata in workbook.sheets_metadata:
            if str(metadata.typ) != str(type(metadata.typ).WorkSheet):
                continue
            rows = workbook.get_sheet_by_name(metadata.name).to_python(skip_empty_area=False)
            if len(rows) > MAX_ROWS + HEADING_ROWS + 100 and _data_rows(rows) > MAX_ROWS:
                raise TableError(_too_many_rows())
            grids[metadata.name] = rows
    except TableError:
        raise
    except Exception as error:
        raise TableError(
            gettext(
                "The file cannot be read as an Excel workbook. Open it in Excel, save it and upload it again."
            )
        ) from error
    finally:
        workbook.close()
    return grids, formulas


def _data_rows(rows: list[list]) -> int:
    return sum(1 for row in rows if any(value not in ("", None) for value in row))


def _too_many_rows() -> str:
    return gettext("The file has more than %(count)s rows. Split it into several files.") % {
        "count": f"{MAX_ROWS:,}".replace(",", " ")
    }


def _check_zip_and_find_formulas(content: bytes) -> dict[str, set[str]]:
    """Refuse a zip bomb; per sheet, the cells holding a formula with no saved value."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise TableError(
            gettext(
                "The file cannot be read as an Excel workbook. Open it in Excel, save it and upload it again."
            )
        ) from error
    with archive:
        infos = archive.infolist()
        unpacked = sum(info.file_size for info in infos)
        packed = sum(info.compress_size for info in infos) or 1
        if unpacked > MAX_UNZIPPED_BYTES or unpacked / packed > MAX_RATIO:
            raise TableError(
                gettext("The file unpacks to far more than a list holds; it is not read.")
            )
        try:
            paths = _sheet_paths(archive)
        except (KeyError, ElementTree.ParseError):
            return {}
        result: dict[str, set[str]] = {}
        for name, path in paths.items():
            try:
                xml = archive.read(path)
            except KeyError:
                continue
            if b"<f" not in xml:
                continue
            result[name] = {
                match.group(1).decode()
                for match in _CELL.finditer(xml)
                if match.group(2) and b"<f" in match.group(2) and not _VALUE.search(match.group(2))
            }
        return result


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    paths = {}
    for sheet in workbook.iter(f"{main}sheet"):
        target = targets.get(sheet.get(relation), "")
        target = target.lstrip("/")
        paths[sheet.get("name")] = target if target.startswith("xl/") else f"xl/{target}"
    return paths


def _csv_grid(content: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes any byte but a few
        raise TableError(gettext("The CSV file is neither UTF-8 nor Windows-1251."))
    head = text[:5000]
    delimiter = ";" if head.count(";") >= head.count(",") else ","
    if head.count("\t") > max(head.count(";"), head.count(",")):
        delimiter = "\t"
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if _data_rows(rows) > MAX_ROWS + HEADING_ROWS:
        raise TableError(_too_many_rows())
    return rows


def _heading_lookup(columns: Sequence[Column]) -> dict[str, str]:
    from django.utils import translation

    lookup: dict[str, str] = {}
    for column in columns:
        names = [str(column.label), *column.synonyms]
        for language in ("ru", "en"):
            with translation.override(language):
                names.append(str(column.label))
        for name in names:
            key = heading_key(name)
            if key:
                lookup.setdefault(key, column.field)
    return lookup


def _match_row(values: Sequence, lookup: dict[str, str]) -> dict[int, str]:
    matched: dict[int, str] = {}
    for index, value in enumerate(values[:MAX_COLUMNS]):
        if isinstance(value, str) and value:
            field_name = lookup.get(heading_key(value))
            if field_name:
                matched[index] = field_name
    return matched


def _missing(columns: Sequence[Column], found: set[str]) -> list[str]:
    covered = set(found)
    for column in columns:
        if column.field in found:
            covered.update(column.covers)
    return [str(c.label) for c in columns if c.required and c.field not in covered]


def _find_headings(
    grid: list[list], lookup, columns
) -> tuple[dict[str, int], list[int], list[str]]:
    """The best heading row (or pair of rows) among the first rows of a sheet.

    With a two-row heading (ФИО over Фамилия / Имя / Отчество) the lower row names the
    columns it has, the upper one the rest.
    """
    matches = [_match_row(row, lookup) for row in grid[:HEADING_ROWS]]
    best: tuple[dict[str, int], list[int], list[str]] | None = None
    for top, upper in enumerate(matches):
        candidates = [(upper, [top])]
        if top + 1 < len(matches) and matches[top + 1]:
            merged = dict(upper)
            merged.update(matches[top + 1])
            candidates.append((merged, [top, top + 1]))
        for matched, rows in candidates:
            fields: dict[str, int] = {}
            for index, field_name in sorted(matched.items()):
                fields.setdefault(field_name, index)
            missing = _missing(columns, set(fields))
            score = (len(missing), -len(fields), len(rows))
            if best is None or score < (len(best[2]), -len(best[0]), len(best[1])):
                best = (fields, rows, missing)
    if best is None:
        return {}, [], [str(c.label) for c in columns if c.required]
    return best


def _fill_rows(table: Table, grid: list[list], formulas: set[str]) -> None:
    start = table.heading_rows[-1] + 1
    letters = {f: get_column_letter(i + 1) for f, i in table.columns.items()}
    for offset, values in enumerate(grid[start:]):
        number = start + offset + 1
        if all(value is None or value == "" or _blank(value) for value in values):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise TableError(_too_many_rows())
        cells = {}
        for field_name, index in table.columns.items():
            value = values[index] if index < len(values) else None
            if isinstance(value, str):
                value = clean_text(value)
            if value == "":
                value = None
            address = f"{letters[field_name]}{number}"
            cells[field_name] = Cell(value, address, address in formulas)
        table.rows.append(Row(number=number, cells=cells))


def _blank(value) -> bool:
    return isinstance(value, str) and not value.strip()


def split_full_name(text: str) -> tuple[str, str, str]:
    """Фамилия Имя Отчество from one cell: the first word, the second, the rest."""
    parts = clean_text(text).split(" ")
    return (
        parts[0] if parts else "",
        parts[1] if len(parts) > 1 else "",
        " ".join(parts[2:]),
    )


# ------------------------------------------------------------------------- the errors back


def errors_workbook(content: bytes, table: Table, reasons: dict[int, str], heading: str) -> bytes:
    """The uploaded workbook with a column of reasons beside the refused rows.

    An .xlsx comes back as itself plus the column; an .xls or .csv, which we do not write,
    comes back as an .xlsx with the same rows and columns.
    """
    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import Font, PatternFill

    if table.kind == "xlsx":
        workbook = load_workbook(io.BytesIO(content))
        sheet = workbook[table.sheet]
    else:
        grids = (
            {"": _csv_grid(content)}
            if table.kind == "csv"
            else _excel_grids(content, table.kind)[0]
        )
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = (table.sheet or gettext("List"))[:31]
        for values in grids[table.sheet]:
            sheet.append(
                [cell_text(value) if isinstance(value, str) else value for value in values]
            )
    column = sheet.max_column + 1
    heading_cell = sheet.cell(row=table.heading_rows[0] + 1, column=column, value=heading)
    heading_cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="F8D7DA")
    for number, reason in reasons.items():
        cell = sheet.cell(row=number, column=column, value=reason)
        cell.fill = fill
    sheet.column_dimensions[get_column_letter(column)].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
