"""The needs list and the stage-1 monitoring entries from Excel: template, preview of
changes, errors with their cells, the errors workbook and a confirmation that counts once."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from mentoring.models import NeedEntry, NeedStatus
from monitoring.models import EnteredAs, ProgressEntry
from tests.world import build_world

NOW = "2026-11-20 10:00 +07:00"


def ru(message: str, **params) -> str:
    with translation.override("ru"):
        text = translation.gettext(message)
    return text % params if params else text


def xlsx(rows, title_rows=()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for values in (*title_rows, *rows):
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def url(organization, kind: str, tail: str = "") -> str:
    return f"/organizations/{organization.pk}/import/{kind}/{tail}"


def upload(client, organization, kind, content: bytes, name="list.xlsx"):
    return client.post(
        url(organization, kind), {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def confirm(client, organization, kind, response):
    return client.post(
        url(organization, kind),
        {"token": response.context["token"], "confirm": "1", "sheet": ""},
        follow=True,
    )


@pytest.fixture
def world(district):
    with time_machine.travel(NOW, tick=False):
        yield build_world(district)


@pytest.fixture
def curator(world, client_for):
    return client_for(world.district.curator_a)


# ---------------------------------------------------------------------------- needs list


def test_needs_list_preview_adds_changes_and_refuses_with_cells(world, curator):
    d = world.district
    mentee, teacher = d.mentee_a.person, d.teacher_a.person  # teacher is listed: «newcomer»
    content = xlsx(
        [
            ["ФИО", "Причина", "Примечание"],
            [mentee.full_name, "молодой специалист", "математика, 1-й год"],
            [teacher.full_name, "после аттестации", ""],
            ["Неизвестная Анна", "молодой специалист", ""],
            [mentee.full_name.replace(" ", "  "), "по дружбе", ""],
        ],
        title_rows=[["Список педагогов, нуждающихся в наставничестве, 2026/2027"]],
    )

    with time_machine.travel(NOW, tick=False):
        response = upload(curator, d.school_a, "needs", content)
    preview = response.context["preview"]

    assert [row.number for row in preview.new] == [3]
    assert [row.number for row in preview.changed] == [4]
    assert preview.changed[0].changes == [
        (ru("Reason"), ru("new to the organization"), ru("after attestation"))
    ]
    refused = {row.number: row.errors for row in preview.error_rows}
    assert refused[5][0].startswith("A5: ") and "Неизвестная Анна" in refused[5][0]
    assert refused[6] == [
        "B6: " + ru("Unknown reason «%(value)s»: take one from the template.", value="по дружбе")
    ]
    assert 'name="confirm"' not in response.content.decode()


def test_needs_list_import_saves_confirmed_entries_once(world, curator):
    d = world.district
    content = xlsx(
        [
            ["Фамилия", "Имя", "Отчество", "Основание"],
            [
                d.mentee_a.person.last_name,
                d.mentee_a.person.first_name,
                d.mentee_a.person.middle_name,
                "Молодой специалист",
            ],
        ]
    )
    with time_machine.travel(NOW, tick=False):
        preview = upload(curator, d.school_a, "needs", content)
        assert preview.context["preview"].is_valid
        first = confirm(curator, d.school_a, "needs", preview)
        second = confirm(curator, d.school_a, "needs", preview)

    entry = NeedEntry.objects.get(person=d.mentee_a.person)
    assert (entry.reason, entry.status, entry.decided_by) == (
        "young_specialist",
        NeedStatus.CONFIRMED,
        d.curator_a,
    )
    for response in (first, second):
        assert response.context["done"].outcome == {"new": 1, "changed": 0, "unchanged": 0}
    assert ru("This file has already been imported; nothing more done.") in second.content.decode()


def test_needs_template_round_trips(world, curator):
    d = world.district
    template = curator.get(url(d.school_a, "needs", "template.xlsx"))
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook.active
    person = d.mentee_a.person
    sheet.append([person.last_name, person.first_name, person.middle_name, ru("young specialist")])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with time_machine.travel(NOW, tick=False):
        preview = upload(curator, d.school_a, "needs", buffer.getvalue()).context["preview"]

    assert preview.is_valid and len(preview.new) == 1
    assert ru("young specialist") in [cell.value for cell in workbook[workbook.sheetnames[1]]["A"]]


# ------------------------------------------------------------------------------- stage 1

STAGE1_HEADINGS = [
    "ФИО наставляемого",
    "Учебный год",
    "Период",
    "Писали ВПР",
    "Справились с ВПР",
    "Средний балл",
    "Успеваемость, %",
    "Участники олимпиад",
    "Победители и призёры олимпиад",
]


def test_stage1_preview_new_changed_unchanged_and_refused(world, curator):
    d = world.district
    name = d.mentee_a.person.full_name  # q1 of 2026/2027 is entered: ВПР 8 of 10
    content = xlsx(
        [
            STAGE1_HEADINGS,
            [name, "2026/2027", "1 четверть", 10, 9, None, None, None, None],
            [name, "2026-27", "2 четверть", 12, 10, "4,2", 95, 3, 1],
            [name, "2026/2027", "год", 10, 12, None, None, None, None],
            ["Чужая Анна", "", "1 полугодие", None, None, None, None, None, None],
            [name, "", "пятая четверть", None, None, 7, None, None, None],
        ]
    )

    with time_machine.travel(NOW, tick=False):
        response = upload(curator, d.school_a, "stage1", content)
    preview = response.context["preview"]

    assert [row.number for row in preview.changed] == [2]
    assert preview.changed[0].changes == [(ru("passed ВПР"), "8", "9")]
    assert [row.number for row in preview.new] == [3]
    refused = {row.number: row.errors for row in preview.error_rows}
    assert refused[4] == [
        "E4: "
        + ru(
            "«%(passed)s» is more than «%(total)s».",
            passed=ru("passed ВПР"),
            total=ru("wrote ВПР"),
        )
    ]
    assert refused[5][0].startswith("A5: ")
    assert [error[:4] for error in refused[6]] == ["C6: ", "F6: "]


def test_stage1_import_writes_new_and_changed_entries_as_the_curator(world, curator):
    d = world.district
    name = d.mentee_a.person.full_name
    content = xlsx(
        [
            STAGE1_HEADINGS,
            [name, "2026/2027", "1 четверть", 10, 9, None, None, None, None],
            [name, "2026/2027", "2 четверть", 12, 10, "4,2", 0.95, 3, 1],
        ]
    )
    with time_machine.travel(NOW, tick=False):
        preview = upload(curator, d.school_a, "stage1", content)
        done = confirm(curator, d.school_a, "stage1", preview)

    assert done.context["done"].outcome == {"new": 1, "changed": 1, "unchanged": 0}
    q1 = ProgressEntry.objects.get(program=world.program, period="q1")
    q2 = ProgressEntry.objects.get(program=world.program, period="q2")
    assert (q1.vpr_passed, q1.vpr_total) == (9, 10)
    assert (q2.vpr_passed, str(q2.average_mark), q2.success_rate) == (10, "4.20", 95)
    assert (q2.olympiad_participants, q2.olympiad_winners) == (3, 1)
    assert (q2.entered_as, q2.entered_by) == (EnteredAs.CURATOR, d.curator_a)


def test_stage1_errors_come_back_in_the_workbook(world, curator):
    d = world.district
    content = xlsx([STAGE1_HEADINGS, ["Чужая Анна", "", "год", 1, 1, None, None, None, None]])
    with time_machine.travel(NOW, tick=False):
        preview = upload(curator, d.school_a, "stage1", content)
        download = curator.get(
            url(d.school_a, "stage1", "errors.xlsx"), {"token": preview.context["token"]}
        )

    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet["J1"].value == ru("Errors")
    assert "Чужая Анна" in sheet["J2"].value


def test_only_the_organizations_officials_import(world, client_for):
    d = world.district
    assert client_for(d.curator_b).get(url(d.school_a, "stage1")).status_code == 404
    assert client_for(d.mentor_a).get(url(d.school_a, "needs")).status_code == 403
    assert client_for(d.curator_a).get(url(d.school_a, "unknown")).status_code == 404
