"""Staff data for attestation (1.1 of the Положение): the import's columns «Дата последней
аттестации», «Результат аттестации», «Студент (практикант)», the export, and the needs list
that proposes those attested in the last year or who failed."""

from __future__ import annotations

import datetime
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentoring.models import NeedReason
from mentoring.services import needs_candidates
from orgs.models import Person
from orgs.staff_import import check_file, staff_import
from tests.orgs.test_import import HEADERS, row, xlsx

ATTESTATION_HEADERS = [
    *HEADERS,
    "Дата последней аттестации",
    "Результат аттестации",
    "Студент (практикант)",
]


def test_the_import_records_attestation_and_the_needs_list_proposes_whom_it_should(district):
    today = timezone.localdate()
    recent = today - datetime.timedelta(days=100)
    long_ago = today - datetime.timedelta(days=900)
    rows = [
        row("Свежева", category="первая", **{"a": recent, "r": "установлена", "s": "нет"}),
        row("Провалова", **{"a": long_ago, "r": "не установлена", "s": ""}),
        row("Давнова", category="высшая", **{"a": long_ago, "r": "установлена", "s": ""}),
        row("Студентова", **{"a": None, "r": None, "s": "да"}),
    ]
    result = check_file(district.school_a, xlsx(rows, ATTESTATION_HEADERS).read(), "staff.xlsx")
    assert result.is_valid, [r.errors for r in result.rows]
    staff_import(organization=district.school_a, result=result, user=district.curator_a)

    fresh = Person.objects.get(last_name="Свежева")
    assert (fresh.last_attested_on, fresh.attestation_result) == (recent, "passed")
    assert Person.objects.get(last_name="Провалова").attestation_result == "failed"
    assert Person.objects.get(last_name="Студентова").is_student is True

    proposed = {c.person.last_name: c.reason for c in needs_candidates(district.school_a, today)}
    assert proposed.get("Свежева") == NeedReason.AFTER_ATTESTATION
    assert proposed.get("Провалова") == NeedReason.AFTER_ATTESTATION
    assert "Давнова" not in proposed


def test_a_bad_attestation_date_or_result_is_named_in_russian_and_nothing_is_saved(district):
    rows = [
        row("Иванова", **{"a": "вчера", "r": "установлена", "s": ""}),
        row("Петрова", **{"a": "01.02.2026", "r": "может быть", "s": "наверное"}),
        row("Сидорова", **{"a": "01.02.2026", "r": "", "s": ""}),
    ]
    before = Person.objects.count()
    result = check_file(district.school_a, xlsx(rows, ATTESTATION_HEADERS).read(), "staff.xlsx")
    assert not result.is_valid
    errors = [" ".join(r.errors) for r in result.rows]
    assert "не дата" in errors[0]
    assert "«установлена» или «не установлена»" in errors[1]
    assert "«да» или «нет»" in errors[1]
    assert "Укажите и дату, и результат аттестации." in errors[2]
    assert Person.objects.count() == before


def test_a_second_import_changes_the_attestation_of_a_known_teacher(district):
    today = timezone.localdate()
    first = [
        row("Свежева", **{"a": today - datetime.timedelta(days=900), "r": "установлена", "s": ""})
    ]
    result = check_file(district.school_a, xlsx(first, ATTESTATION_HEADERS).read(), "staff.xlsx")
    staff_import(organization=district.school_a, result=result)
    again = [
        row("Свежева", **{"a": today - datetime.timedelta(days=10), "r": "не установлена", "s": ""})
    ]
    result = check_file(district.school_a, xlsx(again, ATTESTATION_HEADERS).read(), "staff.xlsx")
    assert len(result.changed) == 1
    staff_import(organization=district.school_a, result=result)
    person = Person.objects.get(last_name="Свежева")
    assert person.attestation_result == "failed"
    assert person.last_attested_on == today - datetime.timedelta(days=10)


def test_the_staff_export_carries_the_attestation_and_the_student_mark(district, client_for):
    person = district.teacher_a.person
    person.last_attested_on = datetime.date(2026, 3, 2)
    person.attestation_result = "failed"
    person.is_student = True
    person.save()
    response = client_for(district.curator_a).get(
        reverse("orgs:staff_list", args=[district.school_a.pk]) + "?export=xlsx"
    )
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    header = list(rows[0])
    line = next(r for r in rows[1:] if r[0] == person.last_name)
    assert line[header.index("Дата последней аттестации")].date() == datetime.date(2026, 3, 2)
    assert line[header.index("Результат последней аттестации")] == "категория не установлена"
    assert line[header.index("Студент (практикант)")] == "да"
