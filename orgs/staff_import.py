"""Import of a staff list from Excel: the template, reading, row-by-row checks, the import.

Nothing is saved unless every row of the file is valid; the import itself goes through
`services.teacher_add`, so a row from Excel obeys the same rules as the form.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.text import normalize
from orgs import services
from orgs.models import Employment, Organization, Position, QualificationCategory
from orgs.services import TeacherData

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# A 2 MB zip may inflate a thousandfold; a real staff list of 2000 rows is a few megabytes.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_YEARS = 70
FUTURE_HIRE_DAYS = 366
DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class Column:
    """A column of the template. Headings match by the label (English or the translation)
    or by one of the Russian aliases a curator is likely to type by hand."""

    field: str
    label: Promise
    required: bool = False
    aliases: tuple[str, ...] = ()
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("last_name", _("Last name"), True, ("фамилия",), 100),
    Column("first_name", _("First name"), True, ("имя",), 100),
    Column("middle_name", _("Patronymic"), False, ("отчество",), 100),
    Column("position", _("Position"), True, ("должность",)),
    Column("hired_on", _("Hire date (dd.mm.yyyy)"), True, ("дата приема", "hire date")),
    Column(
        "qualification_category",
        _("Qualification category"),
        False,
        ("квалификационная категория", "категория"),
    ),
    Column("subjects", _("Subjects"), False, ("предметы", "предмет"), 300),
    Column(
        "teaching_years",
        _("Teaching experience, years"),
        False,
        ("педстаж", "педагогический стаж", "педстаж лет", "педагогический стаж лет"),
    ),
    Column("career_years", _("Total experience, years"), False, ("общий стаж", "общий стаж лет")),
    Column("email", _("E-mail"), False, ("e-mail", "email", "электронная почта"), 254),
    Column("phone", _("Phone"), False, ("телефон",), 32),
)

# How curators write categories by hand, besides the labels of QualificationCategory.
CATEGORY_ALIASES = {
    "": QualificationCategory.NONE,
    "-": QualificationCategory.NONE,
    "нет": QualificationCategory.NONE,
    "без категории": QualificationCategory.NONE,
    "сзд": QualificationCategory.COMPLIANCE,
    "соответствие": QualificationCategory.COMPLIANCE,
    "соответствие занимаемой должности": QualificationCategory.COMPLIANCE,
    "первая": QualificationCategory.FIRST,
    "первая категория": QualificationCategory.FIRST,
    "высшая": QualificationCategory.HIGHEST,
    "высшая категория": QualificationCategory.HIGHEST,
    "педагог-методист": QualificationCategory.METHODIST,
    "педагог-наставник": QualificationCategory.MENTOR,
}

_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"\W+")
_DASH = re.compile(r"\s*[-‐‑–—]\s*")


class ImportFileError(Exception):
    """The file as a whole cannot be read: not an xlsx, too big, no headings."""


@dataclass
class ImportRow:
    """One data row of the file: what the curator typed, and what it means or why not."""

    number: int  # the row number Excel shows
    cells: dict[str, str]
    data: TeacherData | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return " ".join(
            self.cells[name]
            for name in ("last_name", "first_name", "middle_name")
            if self.cells[name]
        )


@dataclass
class ImportResult:
    rows: list[ImportRow]

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.error_rows

    @property
    def teachers(self) -> list[TeacherData]:
        return [row.data for row in self.rows if row.data is not None]


# ---------------------------------------------------------------------------- template


def template_workbook() -> bytes:
    """An empty staff list to fill in, with the positions and categories on a second sheet."""
    positions = list(Position.objects.values_list("name", "code"))
    categories = [str(label) for label in QualificationCategory.labels]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Staff")[:31]
    reference = workbook.create_sheet(_reference_sheet_title())

    sheet.append([str(column.label) for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        width = 40 if column.field in ("position", "subjects") else 18
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last_row = MAX_ROWS + 1
    letter = {column.field: get_column_letter(i) for i, column in enumerate(COLUMNS, start=1)}
    sheet.column_dimensions[letter["hired_on"]].number_format = "DD.MM.YYYY"
    sheet.column_dimensions[letter["phone"]].number_format = "@"

    reference.append([gettext("Position"), gettext("Code"), gettext("Qualification category")])
    for cell in reference[1]:
        cell.font = Font(bold=True)
    for index in range(max(len(positions), len(categories))):
        name, code = positions[index] if index < len(positions) else ("", "")
        category = categories[index] if index < len(categories) else ""
        reference.append([name or None, code or None, category or None])
    reference.column_dimensions["A"].width = 60
    reference.column_dimensions["B"].width = 28
    reference.column_dimensions["C"].width = 32

    quoted = "'{}'".format(reference.title.replace("'", "''"))
    for field_name, source_column, count in (
        ("position", "A", len(positions)),
        ("qualification_category", "C", len(categories)),
    ):
        if not count:
            continue
        validation = DataValidation(
            type="list",
            formula1=f"{quoted}!${source_column}$2:${source_column}${count + 1}",
            allow_blank=True,
            showErrorMessage=False,  # a code or a hand-typed variant is accepted too
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter[field_name]}2:{letter[field_name]}{last_row}")

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _reference_sheet_title() -> str:
    title = gettext("Positions")
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31]


# ----------------------------------------------------------------------------- reading


def _heading_key(text: str) -> str:
    return _NOT_WORD.sub("", _PARENTHESES.sub("", normalize(text)))


def _heading_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        names = [str(column.label), *column.aliases]
        with translation.override("ru"):
            names.append(str(column.label))
        with translation.override("en"):
            names.append(str(column.label))
        for name in names:
            lookup.setdefault(_heading_key(name), column.field)
    return lookup


def _cell_text(value) -> str:
    """What the curator sees in the cell, as text for the preview and the checks."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(content: bytes) -> tuple[list[ImportRow], dict[int, object]]:
    """The data rows of the first sheet, or ImportFileError for the whole file.

    Returns the rows (cells as text) and, per row number, the raw date cell, since a
    real Excel date must not go through text.
    """
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            gettext("The file is larger than %(size)s MB.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    not_xlsx = ImportFileError(
        gettext(
            "This is not an Excel workbook (.xlsx). Save the file as .xlsx and upload it again."
        )
    )
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise ImportFileError(
                    gettext("The file is too large to read. Keep only the staff list in it.")
                )
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception as error:  # any damage or a different format: one clear message
        raise not_xlsx from error
    try:
        sheet = workbook.worksheets[0]
        return _read_sheet(sheet)
    except ImportFileError:
        raise
    except Exception as error:
        raise not_xlsx from error
    finally:
        workbook.close()


def _read_sheet(sheet) -> tuple[list[ImportRow], dict[int, object]]:
    lookup = _heading_lookup()
    columns: dict[str, int] | None = None
    rows: list[ImportRow] = []
    raw_dates: dict[int, object] = {}
    for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=60), start=1):
        if all(_cell_text(value) == "" for value in values):
            continue
        if columns is None:
            columns = _find_columns(values, lookup)
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                gettext("The file has more than %(count)s rows. Split it into several files.")
                % {"count": MAX_ROWS}
            )
        cells = {}
        for column in COLUMNS:
            index = columns.get(column.field)
            value = values[index] if index is not None and index < len(values) else None
            cells[column.field] = _cell_text(value)
            if column.field == "hired_on":
                raw_dates[number] = value
        rows.append(ImportRow(number=number, cells=cells))
    if columns is None:
        raise ImportFileError(gettext("The file is empty."))
    if not rows:
        raise ImportFileError(gettext("The file has headings but no teachers."))
    return rows, raw_dates


def _find_columns(values: Sequence, lookup: dict[str, str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(values):
        field_name = lookup.get(_heading_key(_cell_text(value)))
        if field_name and field_name not in columns:
            columns[field_name] = index
    missing = [
        str(column.label) for column in COLUMNS if column.required and column.field not in columns
    ]
    if missing:
        raise ImportFileError(
            gettext(
                "The first row must hold the column headings of the template. Missing: "
                "%(columns)s. Download the template and copy the data into it."
            )
            % {"columns": ", ".join(f"«{name}»" for name in missing)}
        )
    return columns


# -------------------------------------------------------------------------- validation


def _position_key(text: str) -> str:
    return _DASH.sub("-", normalize(text))


def _position_lookup() -> dict[str, Position]:
    lookup: dict[str, Position] = {}
    positions = list(Position.objects.all())
    # Exact names and codes win over a name without its parenthesised part.
    for position in positions:
        short = _position_key(_PARENTHESES.sub("", position.name))
        if short:
            lookup.setdefault(short, position)
    for position in positions:
        lookup[_position_key(position.name)] = position
        lookup[position.code.casefold()] = position
    return lookup


def _category_lookup() -> dict[str, str]:
    lookup = {normalize(key): value for key, value in CATEGORY_ALIASES.items()}
    for value, label in QualificationCategory.choices:
        lookup[normalize(value)] = value
        for language in ("en", "ru"):
            with translation.override(language):
                lookup[normalize(str(label))] = value
    return lookup


def _parse_date(raw, text: str) -> datetime.date | None:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def _parse_years(text: str) -> int:
    """Whole years; raises ValueError for anything else."""
    number = float(text.replace(",", "."))
    if not number.is_integer():
        raise ValueError(text)
    return int(number)


def validate_rows(
    organization: Organization, rows: list[ImportRow], raw_dates: dict[int, object]
) -> ImportResult:
    """Check every row and fill `data` on the good ones; a few queries for any file size."""
    positions = _position_lookup()
    categories = _category_lookup()
    on_staff = set(
        Employment.objects.filter(organization=organization)
        .active()
        .values_list("person__search_key", "position_id")
    )
    seen: dict[tuple[str, int], int] = {}
    latest_hire = timezone.localdate() + datetime.timedelta(days=FUTURE_HIRE_DAYS)
    for row in rows:
        _validate_row(row, raw_dates.get(row.number), positions, categories, latest_hire)
        if row.data is None:
            continue
        key = (row.data.search_key, row.data.position.pk)
        if key in on_staff:
            row.errors.append(
                gettext("This teacher already holds this position in this organization.")
            )
        elif key in seen:
            row.errors.append(
                gettext("The same teacher in the same position is already in row %(row)s.")
                % {"row": seen[key]}
            )
        else:
            seen[key] = row.number
        if row.errors:
            row.data = None
    return ImportResult(rows=rows)


def _validate_row(row: ImportRow, raw_date, positions, categories, latest_hire) -> None:
    cells, errors = row.cells, row.errors
    labels = {column.field: str(column.label) for column in COLUMNS}
    if not cells["last_name"]:
        errors.append(gettext("The last name is missing."))
    if not cells["first_name"]:
        errors.append(gettext("The first name is missing."))
    for column in COLUMNS:
        if column.max_length and len(cells[column.field]) > column.max_length:
            errors.append(
                gettext("«%(column)s» is longer than %(max)s characters.")
                % {"column": labels[column.field], "max": column.max_length}
            )

    position = None
    if not cells["position"]:
        errors.append(gettext("The position is missing."))
    else:
        position = positions.get(_position_key(cells["position"])) or positions.get(
            cells["position"].casefold()
        )
        if position is None:
            errors.append(
                gettext(
                    "Unknown position «%(value)s»: copy it from the «%(sheet)s» sheet of the template."
                )
                % {"value": cells["position"], "sheet": _reference_sheet_title()}
            )

    hired_on = None
    if not cells["hired_on"]:
        errors.append(gettext("The hire date is missing."))
    else:
        hired_on = _parse_date(raw_date, cells["hired_on"])
        if hired_on is None:
            errors.append(
                gettext("The hire date «%(value)s» is not a date: write it as dd.mm.yyyy.")
                % {"value": cells["hired_on"]}
            )
        elif hired_on > latest_hire:
            errors.append(
                gettext("The hire date %(date)s is more than a year ahead.")
                % {"date": hired_on.strftime("%d.%m.%Y")}
            )
        elif hired_on.year < 1940:
            errors.append(
                gettext("The hire date %(date)s is too early.")
                % {"date": hired_on.strftime("%d.%m.%Y")}
            )

    category = categories.get(normalize(cells["qualification_category"]))
    if category is None:
        errors.append(
            gettext("Unknown qualification category «%(value)s».")
            % {"value": cells["qualification_category"]}
        )

    years: dict[str, int | None] = {}
    for name in ("teaching_years", "career_years"):
        years[name] = None
        if not cells[name]:
            continue
        try:
            value = _parse_years(cells[name])
        except ValueError:
            errors.append(
                gettext("«%(column)s»: «%(value)s» is not a whole number of years.")
                % {"column": labels[name], "value": cells[name]}
            )
            continue
        if not 0 <= value <= MAX_YEARS:
            errors.append(
                gettext("«%(column)s» must be between 0 and %(max)s.")
                % {"column": labels[name], "max": MAX_YEARS}
            )
            continue
        years[name] = value
    teaching, career = years["teaching_years"], years["career_years"]
    if teaching is not None and career is not None and teaching > career:
        errors.append(gettext("Teaching experience cannot exceed the total experience."))

    if cells["email"]:
        try:
            validate_email(cells["email"])
        except ValidationError:
            errors.append(
                gettext("The e-mail «%(value)s» is not valid.") % {"value": cells["email"]}
            )

    if errors:
        return
    row.data = TeacherData(
        last_name=cells["last_name"],
        first_name=cells["first_name"],
        middle_name=cells["middle_name"],
        position=position,
        hired_on=hired_on,
        email=cells["email"],
        phone=cells["phone"],
        teaching_years=teaching,
        career_years=career,
        qualification_category=category,
        subjects=cells["subjects"],
    )


def check_file(organization: Organization, content: bytes) -> ImportResult:
    """Read and check a whole file; ImportFileError if it cannot be read at all."""
    rows, raw_dates = read_rows(content)
    return validate_rows(organization, rows, raw_dates)


# ------------------------------------------------------------------------------ import


@transaction.atomic
def staff_import(
    *, organization: Organization, rows: Iterable[TeacherData], actor=None
) -> list[Employment]:
    """Add every teacher of a checked file, all or none (one transaction).

    A row that the database refuses (the staff list changed after the check) raises
    ValidationError naming the teacher; the whole import is then rolled back.
    """
    employments = []
    for data in rows:
        try:
            # Person matching is services.person_for_new_job, the same rule as the form.
            employments.append(
                services.teacher_add(organization=organization, data=data, actor=actor)
            )
        except (ValidationError, IntegrityError) as error:
            reason = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else gettext("This teacher already holds this position in this organization.")
            )
            raise ValidationError(
                gettext("%(name)s: %(reason)s")
                % {
                    "name": " ".join(p for p in (data.last_name, data.first_name) if p),
                    "reason": reason,
                }
            ) from error
    return employments
