"""Import of a staff list from Excel or CSV: the template, reading, checks, the preview of
changes and the import.

The file is read by `core.tabular` (headings wherever they are, .xlsx/.xls/.csv); each row
is checked, then compared with the staff list: a new person, a new job of a known person, a
job whose fields change (old → new), or nothing to do. Nothing is saved unless every row is
valid; the writes are bulk, one query per kind of row, so a district-wide list of 10,000 rows
imports in seconds.
"""

from __future__ import annotations

import copy
import datetime
import re
from dataclasses import dataclass, field
from io import BytesIO

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core import tabular
from core.dates import day_text
from core.tabular import Column, TableError
from core.text import normalize
from orgs import services
from orgs.audit import log_bulk
from orgs.models import (
    AttestationResult,
    Employment,
    Organization,
    Person,
    Position,
    QualificationCategory,
    years_ago,
)
from orgs.services import TeacherData

MAX_FILE_BYTES = tabular.MAX_FILE_BYTES
MAX_ROWS = tabular.MAX_ROWS
MAX_YEARS = 70
FUTURE_HIRE_DAYS = 366
# The preview lists every refused and changed row, and this many of each other kind.
PREVIEW_LIMIT = 300

ImportFileError = TableError

COLUMNS: tuple[Column, ...] = (
    Column("last_name", _("Last name"), True, ("фамилия",)),
    Column("first_name", _("First name"), True, ("имя",)),
    Column("middle_name", _("Patronymic"), False, ("отчество",)),
    Column(
        "position",
        _("Position"),
        True,
        ("должность", "занимаемая должность", "наименование должности"),
    ),
    Column(
        "hired_on",
        _("Hire date (dd.mm.yyyy)"),
        True,
        (
            "дата приема",
            "дата приема на работу",
            "дата трудоустройства",
            "принят на работу",
            "hire date",
        ),
    ),
    Column(
        "qualification_category",
        _("Qualification category"),
        False,
        ("квалификационная категория", "категория", "кв категория", "квалификация"),
    ),
    Column(
        "subjects",
        _("Subjects"),
        False,
        ("предметы", "предмет", "преподаваемый предмет", "преподаваемые предметы", "дисциплины"),
    ),
    Column(
        "teaching_years",
        _("Teaching experience, years"),
        False,
        (
            "педстаж",
            "педагогический стаж",
            "педстаж лет",
            "педагогический стаж лет",
            "стаж педагогический",
        ),
    ),
    Column(
        "career_years",
        _("Total experience, years"),
        False,
        ("общий стаж", "общий стаж лет", "стаж общий", "стаж работы"),
    ),
    Column(
        "email", _("E-mail"), False, ("e-mail", "email", "электронная почта", "эл почта", "почта")
    ),
    Column(
        "phone", _("Phone"), False, ("телефон", "контактный телефон", "тел", "мобильный телефон")
    ),
    # The attestation (a reason for mentoring under 1.1 of the Положение) and practice students.
    Column(
        "last_attested_on",
        _("Date of the last attestation"),
        False,
        ("дата последней аттестации", "дата аттестации", "последняя аттестация"),
    ),
    Column(
        "attestation_result",
        _("Result of the attestation"),
        False,
        ("результат аттестации", "результат последней аттестации", "итог аттестации"),
    ),
    Column(
        "is_student",
        _("Student (practice)"),
        False,
        ("студент практикант", "студент", "практикант"),
    ),
    Column(
        "full_name",
        _("Full name"),
        False,
        ("фио", "фамилия имя отчество", "фио педагога", "фио работника", "фио сотрудника"),
        covers=("last_name", "first_name", "middle_name"),
    ),
)
TEMPLATE_COLUMNS = tuple(column for column in COLUMNS if column.field != "full_name")
LENGTHS = {
    "last_name": 100,
    "first_name": 100,
    "middle_name": 100,
    "subjects": 300,
    "email": 254,
    "phone": 32,
}

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
_DASH = re.compile(r"\s*[-‐‑–—]\s*")


class Change:
    NEW_PERSON = "new_person"
    NEW_JOB = "new_job"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass
class ImportRow:
    """One data row of the file: what the curator typed, what it means or why not, and what
    it would change."""

    number: int  # the row number Excel shows
    cells: dict[str, str]
    data: TeacherData | None = None
    errors: list[str] = field(default_factory=list)
    change: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, old, new
    person: Person | None = None  # a known person this row is about
    employment: Employment | None = None  # the job this row updates
    linked_elsewhere: bool = False  # the person works in another organization

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
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    table: tabular.Table | None = None

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.error_rows

    @property
    def teachers(self) -> list[TeacherData]:
        return [row.data for row in self.rows if row.data is not None]

    def of(self, change: str) -> list[ImportRow]:
        return [row for row in self.rows if row.change == change and not row.errors]

    @property
    def new_people(self) -> list[ImportRow]:
        return self.of(Change.NEW_PERSON)

    @property
    def new_jobs(self) -> list[ImportRow]:
        return self.of(Change.NEW_JOB)

    @property
    def changed(self) -> list[ImportRow]:
        return self.of(Change.CHANGED)

    @property
    def unchanged(self) -> list[ImportRow]:
        return self.of(Change.UNCHANGED)

    @property
    def to_save(self) -> int:
        return len(self.rows) - len(self.unchanged) - len(self.error_rows)


# ---------------------------------------------------------------------------- template


def template_workbook() -> bytes:
    """An empty staff list to fill in, with the positions and categories on a second sheet."""
    positions = list(Position.objects.values_list("name", "code"))
    categories = [str(label) for label in QualificationCategory.labels]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Staff")[:31]
    reference = workbook.create_sheet(_reference_sheet_title())

    sheet.append([str(column.label) for column in TEMPLATE_COLUMNS])
    for index, column in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        width = 40 if column.field in ("position", "subjects") else 18
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last_row = MAX_ROWS + 1
    letter = {
        column.field: get_column_letter(i) for i, column in enumerate(TEMPLATE_COLUMNS, start=1)
    }
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


def read_rows(content: bytes, name: str = "list.xlsx", sheet: str | None = None) -> tabular.Table:
    """The rows under the headings, or ImportFileError for the whole file."""
    return tabular.read_table(content, name, COLUMNS, sheet)


def _row_cells(row: tabular.Row) -> dict[str, str]:
    cells = {
        column.field: (row.cells[column.field].text if column.field in row.cells else "")
        for column in COLUMNS
    }
    if "full_name" in row.cells and "last_name" not in row.cells:
        cells["last_name"], cells["first_name"], cells["middle_name"] = tabular.split_full_name(
            cells["full_name"]
        )
    return cells


# -------------------------------------------------------------------------- validation


# How curators write the result of an attestation and «student» by hand.
ATTESTATION_RESULTS = {
    "установлена": AttestationResult.PASSED,
    "категория установлена": AttestationResult.PASSED,
    "аттестован": AttestationResult.PASSED,
    "аттестована": AttestationResult.PASSED,
    "прошел": AttestationResult.PASSED,
    "прошла": AttestationResult.PASSED,
    "не установлена": AttestationResult.FAILED,
    "категория не установлена": AttestationResult.FAILED,
    "не аттестован": AttestationResult.FAILED,
    "не аттестована": AttestationResult.FAILED,
    "не прошел": AttestationResult.FAILED,
    "не прошла": AttestationResult.FAILED,
    "отказано": AttestationResult.FAILED,
}
YES = {"да", "yes", "1", "+", "студент", "практикант", "истина", "true"}
NO = {"нет", "no", "0", "-", "ложь", "false"}


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


def _parse_years(text: str) -> int:
    """Whole years; raises ValueError for anything else."""
    number = float(text.replace(",", "."))
    if not number.is_integer():
        raise ValueError(text)
    return int(number)


def check_file(
    organization: Organization, content: bytes, name: str = "list.xlsx", sheet: str | None = None
) -> ImportResult:
    """Read and check a whole file and compare it with the staff list (a few queries for any
    size); ImportFileError if it cannot be read at all."""
    table = read_rows(content, name, sheet)
    rows = [ImportRow(number=row.number, cells=_row_cells(row)) for row in table.rows]
    labels = {column.field: str(column.label) for column in COLUMNS}
    positions = _position_lookup()
    categories = _category_lookup()
    latest_hire = timezone.localdate() + datetime.timedelta(days=FUTURE_HIRE_DAYS)
    for row, source in zip(rows, table.rows, strict=True):
        _validate_row(row, source, labels, positions, categories, latest_hire)
    result = ImportResult(rows=rows, sheet=table.sheet, sheets=table.sheets, table=table)
    compare(organization, result)
    return result


def _formula_errors(source: tabular.Row) -> list[str]:
    return [
        gettext(
            "%(cell)s: a formula without a saved value. Open the file in Excel, let it "
            "calculate, save it and upload it again."
        )
        % {"cell": cell.address}
        for cell in source.cells.values()
        if cell.formula_without_value
    ]


def _at(source: tabular.Row, field_name: str) -> str:
    cell = source.cells.get(field_name) or source.cells.get("full_name")
    return f"{cell.address}: " if cell else ""


def _validate_row(row, source, labels, positions, categories, latest_hire) -> None:
    cells, errors = row.cells, row.errors
    errors.extend(_formula_errors(source))
    if errors:
        return
    if not cells["last_name"]:
        errors.append(_at(source, "last_name") + gettext("The last name is missing."))
    if not cells["first_name"]:
        errors.append(_at(source, "first_name") + gettext("The first name is missing."))
    for name, limit in LENGTHS.items():
        if len(cells[name]) > limit:
            errors.append(
                _at(source, name)
                + gettext("«%(column)s» is longer than %(max)s characters.")
                % {"column": labels[name], "max": limit}
            )

    position = None
    if not cells["position"]:
        errors.append(_at(source, "position") + gettext("The position is missing."))
    else:
        position = positions.get(_position_key(cells["position"])) or positions.get(
            cells["position"].casefold()
        )
        if position is None:
            errors.append(
                _at(source, "position")
                + gettext(
                    "Unknown position «%(value)s»: copy it from the «%(sheet)s» sheet of the template."
                )
                % {"value": cells["position"], "sheet": _reference_sheet_title()}
            )

    hired_on = None
    if not cells["hired_on"]:
        errors.append(_at(source, "hired_on") + gettext("The hire date is missing."))
    else:
        hired_on = tabular.parse_date(source.cells["hired_on"].value)
        if hired_on is None:
            errors.append(
                _at(source, "hired_on")
                + gettext("The hire date «%(value)s» is not a date: write it as dd.mm.yyyy.")
                % {"value": cells["hired_on"]}
            )
        elif hired_on > latest_hire:
            errors.append(
                _at(source, "hired_on")
                + gettext("The hire date %(date)s is more than a year ahead.")
                % {"date": day_text(hired_on)}
            )
        elif hired_on.year < 1940:
            errors.append(
                _at(source, "hired_on")
                + gettext("The hire date %(date)s is too early.") % {"date": day_text(hired_on)}
            )

    category = categories.get(normalize(cells["qualification_category"]))
    if category is None:
        errors.append(
            _at(source, "qualification_category")
            + gettext("Unknown qualification category «%(value)s».")
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
                _at(source, name)
                + gettext("«%(column)s»: «%(value)s» is not a whole number of years.")
                % {"column": labels[name], "value": cells[name]}
            )
            continue
        if not 0 <= value <= MAX_YEARS:
            errors.append(
                _at(source, name)
                + gettext("«%(column)s» must be between 0 and %(max)s.")
                % {"column": labels[name], "max": MAX_YEARS}
            )
            continue
        years[name] = value
    teaching, career = years["teaching_years"], years["career_years"]
    if teaching is not None and career is not None and teaching > career:
        errors.append(gettext("Teaching experience cannot exceed the total experience."))

    attested_on, result, student = services.KEEP, services.KEEP, services.KEEP
    if cells["last_attested_on"]:
        attested_on = tabular.parse_date(source.cells["last_attested_on"].value)
        if attested_on is None:
            errors.append(
                _at(source, "last_attested_on")
                + gettext("«%(value)s» is not a date (dd.mm.yyyy).")
                % {"value": cells["last_attested_on"]}
            )
        elif attested_on > timezone.localdate():
            errors.append(
                _at(source, "last_attested_on")
                + gettext("The attestation date cannot be in the future.")
            )
    if cells["attestation_result"]:
        text = normalize(cells["attestation_result"]).replace("ё", "е")
        result = ATTESTATION_RESULTS.get(text) or {
            normalize(str(label)): value for value, label in AttestationResult.choices
        }.get(text)
        if result is None:
            errors.append(
                _at(source, "attestation_result")
                + gettext(
                    "Unknown result of the attestation «%(value)s»: write «установлена» or "
                    "«не установлена»."
                )
                % {"value": cells["attestation_result"]}
            )
    if bool(cells["last_attested_on"]) != bool(cells["attestation_result"]):
        errors.append(
            _at(source, "attestation_result")
            + gettext("Give both the date and the result of the attestation.")
        )
    if cells["is_student"]:
        text = normalize(cells["is_student"])
        student = True if text in YES else False if text in NO else None
        if student is None:
            errors.append(
                _at(source, "is_student")
                + gettext("«%(column)s»: write «да» or «нет», not «%(value)s».")
                % {"column": labels["is_student"], "value": cells["is_student"]}
            )

    if cells["email"]:
        try:
            validate_email(cells["email"])
        except ValidationError:
            errors.append(
                _at(source, "email")
                + gettext("The e-mail «%(value)s» is not valid.") % {"value": cells["email"]}
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
        last_attested_on=attested_on,
        attestation_result=result,
        is_student=student,
    )


# ----------------------------------------------------------------------------- compare


def _category_label(value: str) -> str:
    return str(QualificationCategory(value).label) if value else ""


def _differences(row: ImportRow, person: Person, employment: Employment | None):
    """(label, old, new) for every field the file fills with something else."""
    data = row.data
    found = []

    def differ(label, old, new, show=str):
        if new not in (None, "") and old != new:
            found.append((str(label), show(old) if old not in (None, "") else "", show(new)))

    differ(_("E-mail"), person.email.casefold(), data.email.casefold())
    differ(_("Phone"), person.phone, data.phone)
    differ(_("Teaching experience, years"), person.teaching_years, data.teaching_years)
    differ(_("Total experience, years"), person.career_years, data.career_years)
    if employment is not None:
        differ(_("Hire date"), employment.hired_on, data.hired_on, day_text)
        differ(
            _("Qualification category"),
            employment.qualification_category,
            data.qualification_category if row.cells["qualification_category"] else None,
            _category_label,
        )
        differ(_("Subjects"), employment.subjects, data.subjects)
    if data.last_attested_on is not services.KEEP:
        differ(
            _("Date of the last attestation"),
            person.last_attested_on,
            data.last_attested_on,
            day_text,
        )
        differ(
            _("Result of the attestation"),
            person.attestation_result,
            data.attestation_result,
            lambda value: str(AttestationResult(value).label),
        )
    if data.is_student is not services.KEEP and data.is_student != person.is_student:
        found.append(
            (
                str(_("Student (practice)")),
                gettext("yes") if person.is_student else gettext("no"),
                gettext("yes") if data.is_student else gettext("no"),
            )
        )
    return found


def compare(organization: Organization, result: ImportResult) -> None:
    """Sort the valid rows into new people, new jobs, changes and unchanged rows, and refuse
    the same person twice in one position; one query for the staff list, one for people
    known elsewhere in the municipality."""
    jobs: dict[tuple[str, int], Employment] = {}
    people: dict[str, Person] = {}
    for employment in (
        Employment.objects.filter(organization=organization)
        .active()
        .select_related("person", "organization")
    ):
        jobs[(employment.person.search_key, employment.position_id)] = employment
        people.setdefault(employment.person.search_key, employment.person)
    seen: dict[tuple[str, int], int] = {}
    elsewhere_wanted: list[ImportRow] = []
    for row in result.rows:
        if row.data is None:
            continue
        key = (row.data.search_key, row.data.position.pk)
        if key in seen:
            row.errors.append(
                gettext("The same teacher in the same position is already in row %(row)s.")
                % {"row": seen[key]}
            )
            row.data = None
            continue
        seen[key] = row.number
        employment = jobs.get(key)
        if employment is not None:
            row.person, row.employment = employment.person, employment
            row.changes = _differences(row, employment.person, employment)
            row.change = Change.CHANGED if row.changes else Change.UNCHANGED
        elif row.data.search_key in people:
            row.person = people[row.data.search_key]
            row.changes = _differences(row, row.person, None)
            row.change = Change.NEW_JOB
        else:
            row.change = Change.NEW_PERSON
            elsewhere_wanted.append(row)
    matches = services.find_same_people(
        [row.data for row in elsewhere_wanted], organization.municipality_id
    )
    for index, person in matches.items():
        row = elsewhere_wanted[index]
        row.person, row.change, row.linked_elsewhere = person, Change.NEW_JOB, True


# ------------------------------------------------------------------------------ import


def _apply_attestation(person: Person, data: TeacherData) -> None:
    """The attestation and student columns the file fills (an empty cell keeps what is)."""
    if data.last_attested_on is not services.KEEP:
        person.last_attested_on = data.last_attested_on
        person.attestation_result = data.attestation_result
    if data.is_student is not services.KEEP:
        person.is_student = bool(data.is_student)


def _experience(years: int | None, today: datetime.date) -> datetime.date | None:
    return None if years is None else years_ago(years, today)


@transaction.atomic
def staff_import(*, organization: Organization, result: ImportResult, user=None) -> dict[str, int]:
    """Apply a checked file, all or none (one transaction), in bulk: the new people, their
    jobs, the new jobs of known people and the changed fields. A person known in another
    organization goes through `services.teacher_add`, the rule the form follows.

    Returns the counts by kind of change; ValidationError if the database refuses a row (the
    staff list changed after the check), and then nothing is saved.
    """
    if not result.is_valid:
        raise ValidationError(gettext("The file has rows with errors."))
    today = timezone.localdate()
    new_people: list[tuple[ImportRow, Person]] = []
    for row in result.new_people:
        data = row.data
        person = Person(
            last_name=data.last_name,
            first_name=data.first_name,
            middle_name=data.middle_name,
            email=data.email,
            phone=data.phone,
            teaching_since=_experience(data.teaching_years, today),
            career_since=_experience(data.career_years, today),
        )
        _apply_attestation(person, data)
        person.search_key = normalize(person.full_name)
        new_people.append((row, person))
    changed_people: dict[int, Person] = {}
    changed_jobs: list[Employment] = []
    before: dict[tuple[type, int], object] = {}
    for row in result.changed + [r for r in result.new_jobs if not r.linked_elsewhere]:
        data, person = row.data, row.person
        before.setdefault((Person, person.pk), copy.copy(person))
        if row.employment is not None:
            before.setdefault((Employment, row.employment.pk), copy.copy(row.employment))
        if data.email and person.email.casefold() != data.email.casefold():
            person.email = data.email
        if data.phone:
            person.phone = data.phone
        if data.teaching_years is not None and data.teaching_years != person.teaching_years:
            person.teaching_since = _experience(data.teaching_years, today)
        if data.career_years is not None and data.career_years != person.career_years:
            person.career_since = _experience(data.career_years, today)
        _apply_attestation(person, data)
        if row.changes:
            changed_people[person.pk] = person
        if row.employment is not None:
            job = row.employment
            job.hired_on = data.hired_on
            if row.cells["qualification_category"]:
                job.qualification_category = data.qualification_category
            if data.subjects:
                job.subjects = data.subjects
            changed_jobs.append(job)
    try:
        Person.objects.bulk_create([person for _row, person in new_people], batch_size=1000)
        jobs = [
            Employment(
                person=person,
                organization=organization,
                position=row.data.position,
                hired_on=row.data.hired_on,
                qualification_category=row.data.qualification_category,
                subjects=row.data.subjects,
            )
            for row, person in new_people
        ]
        jobs += [
            Employment(
                person=row.person,
                organization=organization,
                position=row.data.position,
                hired_on=row.data.hired_on,
                qualification_category=row.data.qualification_category,
                subjects=row.data.subjects,
            )
            for row in result.new_jobs
            if not row.linked_elsewhere
        ]
        Employment.objects.bulk_create(jobs, batch_size=1000)
        if changed_people:
            now = timezone.now()
            for person in changed_people.values():
                person.updated_at = now
            Person.objects.bulk_update(
                changed_people.values(),
                [
                    "email",
                    "phone",
                    "teaching_since",
                    "career_since",
                    "last_attested_on",
                    "attestation_result",
                    "is_student",
                    "updated_at",
                ],
                batch_size=1000,
            )
        if changed_jobs:
            Employment.objects.bulk_update(
                changed_jobs, ["hired_on", "qualification_category", "subjects"], batch_size=1000
            )
        for row in result.new_jobs:
            if row.linked_elsewhere:
                services.teacher_add(organization=organization, data=row.data, actor=user)
        # bulk writes pass django-auditlog by: the change log gets them here, in bulk too.
        log_bulk(
            [person for _row, person in new_people] + jobs,
            action=LogEntry.Action.CREATE,
            actor=user,
            describe=_describe,
        )
        log_bulk(
            [*changed_people.values(), *changed_jobs],
            action=LogEntry.Action.UPDATE,
            actor=user,
            old=before,
            describe=_describe,
        )
    except (ValidationError, IntegrityError) as error:
        raise ValidationError(
            gettext(
                "The staff list changed while the file was being checked. Check the file again."
            )
        ) from error
    return {
        "new_people": len(result.new_people),
        "new_jobs": len(result.new_jobs),
        "changed": len(result.changed),
        "unchanged": len(result.unchanged),
    }


def _describe(row) -> str:
    """A row of the change log named without a query (the person is loaded with the job)."""
    if isinstance(row, Employment):
        return f"{row.person.full_name} — {row.organization.short_name}"
    return str(row)


def errors_workbook(content: bytes, result: ImportResult) -> bytes:
    """The uploaded list with a column of reasons beside each refused row."""
    reasons = {row.number: "; ".join(row.errors) for row in result.error_rows}
    return tabular.errors_workbook(content, result.table, reasons, gettext("Errors"))
