"""The same import for every other list a school keeps in Excel: template, preview, errors.

An app describes its list once (`ListImport`: columns, how a row is checked against the
database, how the checked rows are saved) and registers it in its AppConfig.ready(); the
pages (upload → preview of changes → confirm once, the template, the errors workbook) are
shared and live in `orgs.views.lists`. The staff list has its own richer preview
(`orgs.staff_import`) on the same reader and the same pending uploads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from django.utils.functional import Promise
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core import tabular
from core.tabular import Column
from orgs.models import Organization


class Change:
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass
class ListRow:
    """One data row: the cells as typed, the errors (each with its cell), and the change."""

    number: int
    source: tabular.Row
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    change: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, old, new
    summary: list[str] = field(default_factory=list)  # what the preview shows of the row
    value: object = None  # what the list saves for this row
    target: object = None  # the record it changes, if any

    def refuse(self, field_name: str, message: str) -> None:
        cell = self.source.cells.get(field_name)
        if cell is None and field_name in ("last_name", "first_name", "middle_name"):
            cell = self.source.cells.get("full_name")
        self.errors.append(f"{cell.address}: {message}" if cell else message)


@dataclass
class ListPreview:
    rows: list[ListRow]
    table: tabular.Table

    @property
    def sheet(self) -> str:
        return self.table.sheet

    @property
    def sheets(self) -> list[str]:
        return self.table.sheets

    @property
    def error_rows(self) -> list[ListRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.error_rows

    def of(self, change: str) -> list[ListRow]:
        return [row for row in self.rows if row.change == change and not row.errors]

    @property
    def new(self) -> list[ListRow]:
        return self.of(Change.NEW)

    @property
    def changed(self) -> list[ListRow]:
        return self.of(Change.CHANGED)

    @property
    def unchanged(self) -> list[ListRow]:
        return self.of(Change.UNCHANGED)


class ListImport:
    """One kind of list. Subclasses set the class attributes and implement `check_rows`
    (few queries for any number of rows) and `apply` (bulk writes, one transaction)."""

    kind: str = ""
    title: Promise | str = ""
    summary_headings: tuple[Promise | str, ...] = ()
    columns: tuple[Column, ...] = ()
    file_name: str = "list"
    back_url_name: str = ""  # where the curator goes after the import (takes no arguments)

    def template_columns(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if not column.covers)

    def template(self, organization: Organization) -> bytes:
        """Headings on the first sheet, the allowed values on the second."""
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(self.title)[:31]
        columns = self.template_columns()
        sheet.append([str(column.label) for column in columns])
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=index)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.required:
                cell.fill = PatternFill("solid", fgColor="FFF2CC")
            sheet.column_dimensions[get_column_letter(index)].width = 22
        sheet.freeze_panes = "A2"
        reference = self.reference_values(organization)
        if reference:
            extra = workbook.create_sheet(gettext("Values")[:31])
            for index, (heading, values) in enumerate(reference.items(), start=1):
                extra.cell(row=1, column=index, value=str(heading)).font = Font(bold=True)
                for number, value in enumerate(values, start=2):
                    extra.cell(row=number, column=index, value=str(value))
                extra.column_dimensions[get_column_letter(index)].width = 36
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def reference_values(self, organization: Organization) -> dict[str, list[str]]:
        return {}

    def check(
        self, organization: Organization, content: bytes, name: str, sheet: str | None = None
    ) -> ListPreview:
        table = tabular.read_table(content, name, self.columns, sheet)
        rows = []
        for source in table.rows:
            cells = {column.field: "" for column in self.columns}
            cells.update({name: cell.text for name, cell in source.cells.items()})
            if cells.get("full_name") and "last_name" not in source.cells:
                last, first, middle = tabular.split_full_name(cells["full_name"])
                cells.update(last_name=last, first_name=first, middle_name=middle)
            row = ListRow(number=source.number, source=source, cells=cells)
            for cell in source.cells.values():
                if cell.formula_without_value:
                    row.errors.append(
                        gettext(
                            "%(cell)s: a formula without a saved value. Open the file in Excel, "
                            "let it calculate, save it and upload it again."
                        )
                        % {"cell": cell.address}
                    )
            rows.append(row)
        preview = ListPreview(rows=rows, table=table)
        self.check_rows(organization, [row for row in rows if not row.errors])
        return preview

    def check_rows(self, organization: Organization, rows: list[ListRow]) -> None:
        raise NotImplementedError

    def apply(self, *, user, organization: Organization, preview: ListPreview) -> dict:
        raise NotImplementedError

    def errors_workbook(self, content: bytes, preview: ListPreview) -> bytes:
        reasons = {row.number: "; ".join(row.errors) for row in preview.error_rows}
        return tabular.errors_workbook(content, preview.table, reasons, gettext("Errors"))


REGISTRY: dict[str, ListImport] = {}


def register_list_import(importer: ListImport) -> None:
    """Called from an app's AppConfig.ready(): the pages of orgs then serve this list."""
    REGISTRY[importer.kind] = importer


def full_name_columns() -> tuple[Column, ...]:
    """Name columns as every list has them: three columns or one ФИО column."""
    from django.utils.translation import gettext_lazy as _

    return (
        Column("last_name", _("Last name"), True, ("фамилия",)),
        Column("first_name", _("First name"), True, ("имя",)),
        Column("middle_name", _("Patronymic"), False, ("отчество",)),
        Column(
            "full_name",
            _("Full name"),
            False,
            ("фио", "фамилия имя отчество", "фио педагога", "фио наставляемого", "педагог"),
            covers=("last_name", "first_name", "middle_name"),
        ),
    )
