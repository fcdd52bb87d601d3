"""Stage-1 monitoring entries from Excel: per mentee and period, the results of the mentee's
students (ВПР, ОГЭ, ЕГЭ), their marks and olympiads.

A row names a mentee with a program in one of the organization's pairs, an academic year
(this one when empty) and a period; the preview says which entries are new, which numbers
change (old → new) and which are already entered as written. Saved in bulk, as entered by
the curator.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import tabular
from core.tabular import Column
from core.text import normalize
from mentoring.models import academic_year_of
from monitoring.models import EnteredAs, Period, ProgressEntry
from orgs.list_import import Change, ListImport, ListPreview, ListRow, full_name_columns
from orgs.models import Organization
from programs.models import Program

PERIOD_SYNONYMS = {
    "1 четверть": Period.Q1,
    "i четверть": Period.Q1,
    "2 четверть": Period.Q2,
    "ii четверть": Period.Q2,
    "3 четверть": Period.Q3,
    "iii четверть": Period.Q3,
    "4 четверть": Period.Q4,
    "iv четверть": Period.Q4,
    "1 полугодие": Period.H1,
    "i полугодие": Period.H1,
    "2 полугодие": Period.H2,
    "ii полугодие": Period.H2,
    "год": Period.YEAR,
    "за год": Period.YEAR,
    "учебный год": Period.YEAR,
}
# Whole numbers of students, as (field, heading, synonyms).
COUNTS = (
    ("vpr_total", _("wrote ВПР"), ("писали впр", "впр писали", "участники впр")),
    (
        "vpr_passed",
        _("passed ВПР"),
        ("справились с впр", "впр справились", "впр сдали", "сдали впр"),
    ),
    ("oge_total", _("sat ОГЭ"), ("сдавали огэ", "огэ сдавали", "участники огэ")),
    ("oge_passed", _("passed ОГЭ"), ("сдали огэ", "огэ сдали")),
    ("ege_total", _("sat ЕГЭ"), ("сдавали егэ", "егэ сдавали", "участники егэ")),
    ("ege_passed", _("passed ЕГЭ"), ("сдали егэ", "егэ сдали")),
    (
        "olympiad_participants",
        _("olympiad participants"),
        ("участники олимпиад", "олимпиады участники"),
    ),
    (
        "olympiad_winners",
        _("olympiad winners and prize-winners"),
        ("победители и призеры олимпиад", "победители и призеры", "призеры олимпиад"),
    ),
)
PASSED_WITHIN = (
    ("vpr_total", "vpr_passed"),
    ("oge_total", "oge_passed"),
    ("ege_total", "ege_passed"),
    ("olympiad_participants", "olympiad_winners"),
)
_YEAR = re.compile(r"^(\d{4})\s*[/\-–—]\s*(\d{2}|\d{4})$")


def _periods() -> dict[str, str]:
    lookup = {normalize(key): value for key, value in PERIOD_SYNONYMS.items()}
    for value, label in Period.choices:
        lookup[normalize(value)] = value
        for language in ("ru", "en"):
            with translation.override(language):
                lookup[normalize(str(label))] = value
    return lookup


def _academic_year(text: str) -> str | None:
    match = _YEAR.match(text.replace(" ", ""))
    if not match:
        return None
    start, end = int(match.group(1)), match.group(2)
    end_year = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
    return f"{start}/{end_year}" if end_year == start + 1 else None


class Stage1Import(ListImport):
    kind = "stage1"
    title = _("monitoring entries")
    file_name = "stage-1"
    back_url_name = "monitoring:dashboard"
    summary_headings = (_("Mentee"), _("Academic year"), _("Period"))
    columns = (
        *full_name_columns(),
        Column("academic_year", _("Academic year"), False, ("учебный год", "год обучения")),
        Column("period", _("Period"), True, ("период", "четверть", "полугодие", "отчетный период")),
        *(Column(name, label, False, synonyms) for name, label, synonyms in COUNTS),
        Column("average_mark", _("average mark"), False, ("средний балл", "средняя отметка")),
        Column(
            "success_rate",
            _("success rate, %"),
            False,
            ("успеваемость", "успеваемость %", "процент успеваемости"),
        ),
    )

    def reference_values(self, organization: Organization) -> dict[str, list[str]]:
        mentees = (
            Program.objects.filter(pair__organization=organization)
            .select_related("mentee")
            .order_by("mentee__search_key")
            .values_list("mentee__last_name", "mentee__first_name", "mentee__middle_name")
            .distinct()
        )
        return {
            str(_("Mentee")): [" ".join(part for part in name if part) for name in mentees],
            str(_("Period")): [str(label) for label in Period.labels],
        }

    def check_rows(self, organization: Organization, rows: list[ListRow]) -> None:
        this_year = academic_year_of(timezone.localdate())
        periods = _periods()
        programs: dict[str, Program] = {}
        # The latest program of each mentee of the organization's pairs.
        for program in (
            Program.objects.filter(pair__organization=organization)
            .select_related("mentee")
            .order_by("created_at", "pk")
        ):
            programs[program.mentee.search_key] = program
        entries = {
            (entry.program_id, entry.academic_year, entry.period): entry
            for entry in ProgressEntry.objects.filter(program__in=list(programs.values()))
        }
        labels = {column.field: str(column.label) for column in self.columns}
        seen: dict[tuple, int] = {}
        for row in rows:
            cells = row.cells
            name = " ".join(
                p for p in (cells["last_name"], cells["first_name"], cells["middle_name"]) if p
            )
            year = _academic_year(cells["academic_year"]) if cells["academic_year"] else this_year
            period = periods.get(normalize(cells["period"]))
            row.summary = [
                name,
                year or cells["academic_year"],
                str(Period(period).label) if period else cells["period"],
            ]
            program = programs.get(normalize(name))
            if program is None:
                row.refuse(
                    "last_name",
                    gettext("%(name)s has no mentoring program in %(organization)s.")
                    % {"name": name or "—", "organization": organization.short_name},
                )
            if year is None:
                row.refuse(
                    "academic_year",
                    gettext("«%(value)s» is not an academic year: write it as 2025/2026.")
                    % {"value": cells["academic_year"]},
                )
            if period is None:
                row.refuse(
                    "period",
                    gettext(
                        "Unknown period «%(value)s»: write «1 четверть», «1 полугодие» or «год»."
                    )
                    % {"value": cells["period"]},
                )
            values: dict[str, object] = {}
            for name_field, _label, _synonyms in COUNTS:
                values[name_field] = self._count(row, name_field, labels)
            values["average_mark"] = self._mark(row)
            values["success_rate"] = self._rate(row)
            if row.errors:
                continue
            key = (program.pk, year, period)
            if key in seen:
                row.errors.append(
                    gettext("The same mentee and period are already in row %(row)s.")
                    % {"row": seen[key]}
                )
                continue
            seen[key] = row.number
            row.value = (program, year, period, values)
            entry = entries.get(key)
            if not self._consistent(row, values, entry, labels):
                continue
            if entry is None:
                row.change = Change.NEW
                continue
            row.target = entry
            for field_name, value in values.items():
                if value is None:
                    continue
                old = getattr(entry, field_name)
                if old != value:
                    row.changes.append(
                        (labels[field_name], "" if old is None else str(old), str(value))
                    )
            row.change = Change.CHANGED if row.changes else Change.UNCHANGED

    def _consistent(self, row: ListRow, values: dict, entry, labels) -> bool:
        """Passed within took, winners within participants, with what is already entered."""

        def now(field_name: str) -> int:
            value = values[field_name]
            if value is None:
                return getattr(entry, field_name) if entry is not None else 0
            return value

        for total, passed in PASSED_WITHIN:
            if now(passed) > now(total):
                row.refuse(
                    passed,
                    gettext("«%(passed)s» is more than «%(total)s».")
                    % {"passed": labels[passed], "total": labels[total]},
                )
        return not row.errors

    def _count(self, row: ListRow, field_name: str, labels) -> int | None:
        cell = row.source.cells.get(field_name)
        if cell is None or cell.value is None:
            return None
        number = tabular.parse_number(cell.value)
        if number is None or number < 0 or not float(number).is_integer() or number > 100000:
            row.refuse(
                field_name,
                gettext("«%(column)s»: «%(value)s» is not a whole number.")
                % {"column": labels[field_name], "value": cell.text},
            )
            return None
        return int(number)

    def _mark(self, row: ListRow) -> Decimal | None:
        cell = row.source.cells.get("average_mark")
        if cell is None or cell.value is None:
            return None
        try:
            mark = Decimal(cell.text.replace(",", ".")).quantize(Decimal("0.01"))
        except InvalidOperation:
            mark = None
        if mark is None or not Decimal(1) <= mark <= Decimal(5):
            row.refuse("average_mark", gettext("The average mark is from 1 to 5."))
            return None
        return mark

    def _rate(self, row: ListRow) -> int | None:
        cell = row.source.cells.get("success_rate")
        if cell is None or cell.value is None:
            return None
        number = tabular.parse_number(cell.text.rstrip("%").strip())
        if (
            number is not None
            and 0 < number <= 1
            and "," not in cell.text
            and "." in str(cell.value)
        ):
            number *= 100  # a cell formatted as a percentage holds 0.95
        if number is None or not 0 <= number <= 100:
            row.refuse("success_rate", gettext("The success rate is from 0 to 100 %."))
            return None
        return round(number)

    @transaction.atomic
    def apply(self, *, user, organization: Organization, preview: ListPreview) -> dict:
        new = []
        for row in preview.new:
            program, year, period, values = row.value
            entry = ProgressEntry(
                program=program,
                academic_year=year,
                period=period,
                entered_as=EnteredAs.CURATOR,
                entered_by=user,
            )
            for field_name, value in values.items():
                if value is not None:
                    setattr(entry, field_name, value)
            new.append(entry)
        ProgressEntry.objects.bulk_create(new, batch_size=1000)
        changed = []
        fields = set()
        now = timezone.now()
        for row in preview.changed:
            entry = row.target
            for field_name, value in row.value[3].items():
                if value is not None:
                    setattr(entry, field_name, value)
                    fields.add(field_name)
            entry.entered_by, entry.updated_at = user, now
            changed.append(entry)
        if changed:
            ProgressEntry.objects.bulk_update(
                changed, sorted(fields | {"entered_by", "updated_at"}), batch_size=1000
            )
        return {
            "new": len(new),
            "changed": len(changed),
            "unchanged": len(preview.unchanged),
        }
