"""Import of a staff list from Excel: template, preview with reasons, all-or-nothing import."""

from __future__ import annotations

import datetime
import html
import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from orgs.models import Employment, Person, Position, QualificationCategory
from orgs.staff_import import MAX_ROWS, check_file, staff_import
from tests.factories import EmploymentFactory, PersonFactory

# The headings a curator types by hand, as the issue lists them.
HEADERS = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Должность",
    "Дата приёма (дд.мм.гггг)",
    "Квалификационная категория",
    "Предметы",
    "Педстаж (лет)",
    "Общий стаж (лет)",
    "E-mail",
    "Телефон",
]
HIRED = datetime.date(2020, 9, 1)


def row(last_name="Петрова", first_name="Анна", **values) -> list:
    fields = {
        "middle_name": "Сергеевна",
        "position": "учитель",
        "hired_on": HIRED,
        "category": "",
        "subjects": "математика",
        "teaching": 5,
        "career": 7,
        "email": "",
        "phone": "",
    }
    fields.update(values)
    return [last_name, first_name, *fields.values()]


def xlsx(rows, headers=HEADERS, name="staff.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def ru(message: str, **params) -> str:
    """The message as the curator reads it (through the Russian catalogue, if any)."""
    with translation.override("ru"):
        text = translation.gettext(message)
    return text % params if params else text


def import_url(organization) -> str:
    return f"/organizations/{organization.pk}/staff/import/"


def upload(client, organization, file):
    return client.post(import_url(organization), {"file": file}, follow=True)


def row_errors(response, number: int) -> str:
    """The text of the error cell of one Excel row in the preview ('' if the row is fine)."""
    match = re.search(
        rf'<tr class="table-danger" data-row="{number}">(.*?)</tr>',
        response.content.decode(),
        re.DOTALL,
    )
    if not match:
        return ""
    errors = re.search(r'<td class="import-errors">(.*?)</td>', match.group(1), re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", errors.group(1)))


def counts() -> tuple[int, int]:
    return Person.objects.count(), Employment.objects.count()


def confirm(client, organization, response):
    token = response.context["token"]
    return client.post(import_url(organization), {"token": token, "confirm": "1"}, follow=True)


def future(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


BAD_ROWS = {
    "unknown position": (
        row(position="космонавт"),
        "Unknown position «%(value)s»: copy it from the «%(sheet)s» sheet of the template.",
        {"value": "космонавт", "sheet": "Positions"},
    ),
    "missing surname": (row(last_name=""), "The last name is missing.", {}),
    "missing first name": (row(first_name=None), "The first name is missing.", {}),
    "bad date": (
        row(hired_on="31.02.2020"),
        "The hire date «%(value)s» is not a date: write it as dd.mm.yyyy.",
        {"value": "31.02.2020"},
    ),
    "missing date": (row(hired_on=None), "The hire date is missing.", {}),
    "date too far ahead": (
        row(hired_on=future(400)),
        "The hire date %(date)s is more than a year ahead.",
        {"date": future(400).strftime("%d.%m.%Y")},
    ),
    "bad number": (
        row(teaching="пять"),
        "«%(column)s»: «%(value)s» is not a whole number of years.",
        {"column": "Teaching experience, years", "value": "пять"},
    ),
    "teaching above total": (
        row(teaching=10, career=3),
        "Teaching experience cannot exceed the total experience.",
        {},
    ),
    "bad e-mail": (
        row(email="petrova@"),
        "The e-mail «%(value)s» is not valid.",
        {"value": "petrova@"},
    ),
    "unknown category": (
        row(category="лучшая"),
        "Unknown qualification category «%(value)s».",
        {"value": "лучшая"},
    ),
    "duplicate person in the file": (
        row(last_name="Сидорова", first_name="Вера", middle_name="Ивановна"),
        "The same teacher in the same position is already in row %(row)s.",
        {"row": 2},
    ),
}


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_a_file_with_one_bad_row_is_refused_with_the_row_number_and_reason(
    district, client_for, kind
):
    bad, message, params = BAD_ROWS[kind]
    if "column" in params:
        params = {**params, "column": ru(params["column"])}
    if "sheet" in params:
        params = {**params, "sheet": ru(params["sheet"])}
    client = client_for(district.curator_a)
    before = counts()
    rows = [
        row(last_name="Сидорова", first_name="Вера", middle_name="Ивановна"),
        row(last_name="Орлова", first_name="Ирина"),
        bad,
    ]

    response = upload(client, district.school_a, xlsx(rows))

    assert response.status_code == 200
    assert ru(message, **params) in row_errors(response, 4)
    assert row_errors(response, 2) == "" and row_errors(response, 3) == ""
    assert not response.context["result"].is_valid
    assert 'name="confirm"' not in response.content.decode()
    # Even a forged confirmation of this file saves nothing.
    response = confirm(client, district.school_a, response)
    assert counts() == before


def test_a_teacher_already_on_the_staff_in_the_same_position_is_shown_as_a_change(
    district, client_for
):
    person = district.teacher_a.person
    client = client_for(district.curator_a)
    before = counts()
    file = xlsx(
        [
            row(
                last_name="ёлкина",
                first_name=person.first_name,
                middle_name=person.middle_name,
                subjects="физика",
            )
        ]
    )

    response = upload(client, district.school_a, file)

    result = response.context["result"]
    assert result.is_valid
    assert [r.number for r in result.changed] == [2]
    changes = {label: (old, new) for label, old, new in result.changed[0].changes}
    assert changes[ru("Subjects")][1] == "физика"
    assert "физика" in response.content.decode()
    assert counts() == before


def test_several_errors_of_one_row_are_all_listed(district, client_for):
    client = client_for(district.curator_a)

    response = upload(client, district.school_a, xlsx([row(last_name="", position="", email="x@")]))

    errors = row_errors(response, 2)
    assert ru("The last name is missing.") in errors
    assert ru("The position is missing.") in errors
    assert ru("The e-mail «%(value)s» is not valid.", value="x@") in errors


def test_good_file_of_300_rows_imports_every_row(district, client_for):
    client = client_for(district.curator_a)
    persons, employments = counts()
    rows = [
        row(
            last_name=f"Учительница{number:03d}",
            email=f"t{number}@school.ru",
            category="первая" if number % 2 else "",
        )
        for number in range(300)
    ]

    preview = upload(client, district.school_a, xlsx(rows))
    assert preview.context["result"].is_valid
    assert len(preview.context["result"].rows) == 300
    assert 'name="confirm"' in preview.content.decode()
    response = confirm(client, district.school_a, preview)

    assert response.status_code == 200
    assert ru("The file is imported") in response.content.decode()
    assert response.context["done"].outcome["new_people"] == 300
    assert counts() == (persons + 300, employments + 300)
    imported = Employment.objects.get(person__last_name="Учительница001")
    assert imported.organization == district.school_a
    assert imported.position.code == "uchitel"
    assert imported.hired_on == HIRED
    assert imported.qualification_category == QualificationCategory.FIRST
    assert imported.subjects == "математика"
    assert imported.person.middle_name == "Сергеевна"
    assert imported.person.email == "t1@school.ru"
    assert (imported.person.teaching_years, imported.person.career_years) == (5, 7)


def test_the_import_service_saves_nothing_when_its_last_row_fails(district):
    person = district.teacher_a.person
    other = Position.objects.exclude(code="uchitel").order_by("pk").first()
    rows = [row(last_name=f"Новая{number}") for number in range(299)]
    rows.append(
        row(
            last_name=person.last_name,
            first_name=person.first_name,
            middle_name=person.middle_name,
            position=other.code,
        )
    )
    result = check_file(district.school_a, xlsx(rows).read(), "staff.xlsx")
    assert result.is_valid and [r.number for r in result.new_jobs] == [301]
    # After the check, the same job is given by hand: the database refuses the second one,
    # and nothing of the 300 rows stays.
    EmploymentFactory(organization=district.school_a, position=other, person=person)
    before = counts()

    with pytest.raises(ValidationError):
        staff_import(organization=district.school_a, result=result)

    assert counts() == before


def test_confirmation_checks_the_file_again(district, client_for):
    client = client_for(district.curator_a)
    preview = upload(client, district.school_a, xlsx([row(), row(last_name="Орлова")]))
    assert preview.context["result"].is_valid
    # Meanwhile the same teacher is added by hand.
    EmploymentFactory(
        organization=district.school_a,
        person=PersonFactory(last_name="Петрова", first_name="Анна", middle_name="Сергеевна"),
    )
    before = counts()

    response = confirm(client, district.school_a, preview)

    # Checked again under the lock: Петрова is now on the staff and stays one record.
    assert response.status_code == 200
    outcome = response.context["done"].outcome
    assert (outcome["new_people"], outcome["new_jobs"]) == (1, 0)
    assert outcome["changed"] + outcome["unchanged"] == 1
    assert counts() == (before[0] + 1, before[1] + 1)
    assert Employment.objects.filter(person__last_name="Петрова").count() == 1


def test_the_stored_file_serves_only_the_user_who_uploaded_it(district, client_for):
    preview = upload(client_for(district.head_a), district.school_a, xlsx([row()]))
    token = preview.context["token"]
    before = counts()

    client = client_for(district.curator_a)
    response = client.post(
        import_url(district.school_a), {"token": token, "confirm": "1"}, follow=True
    )

    assert ru("The uploaded file has expired. Please upload it again.") in html.unescape(
        response.content.decode()
    )
    assert counts() == before


def test_parsing_accepts_codes_yo_dates_as_text_and_skips_empty_rows(district, client_for):
    client = client_for(district.curator_a)
    rows = [
        row(position="УЧИТЕЛЬ-ЛОГОПЕД", hired_on="01.09.2021", category="Высшая"),
        [None] * len(HEADERS),
        row(last_name="Ёжикова", position="pedagog_psiholog", category="first", teaching="3"),
        row(last_name="Орлова", position="руководитель", teaching=2.0, career=None),
        [None] * len(HEADERS),
        ["", "  ", None],
    ]

    preview = upload(client, district.school_a, xlsx(rows))

    result = preview.context["result"]
    assert [r.number for r in result.rows] == [2, 4, 5]
    assert result.is_valid, [r.errors for r in result.rows]
    first, second, third = result.teachers
    assert first.position.code == "uchitel_logoped"
    assert first.hired_on == datetime.date(2021, 9, 1)
    assert first.qualification_category == QualificationCategory.HIGHEST
    assert second.position.code == "pedagog_psiholog"
    assert second.qualification_category == QualificationCategory.FIRST
    assert second.teaching_years == 3
    assert third.position.name.startswith("руководитель (")
    assert (third.teaching_years, third.career_years) == (2, None)


def test_a_file_with_wrong_headings_gets_one_clear_error(district, client_for):
    client = client_for(district.curator_a)
    before = counts()

    response = upload(
        client, district.school_a, xlsx([row()], headers=["Сотрудник", "Должность", "Стаж"])
    )

    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert f"«{ru('Last name')}»" in errors[0]
    assert f"«{ru('Hire date (dd.mm.yyyy)')}»" in errors[0]
    assert counts() == before


@pytest.mark.parametrize(
    "file",
    [
        SimpleUploadedFile("staff.csv", "Фамилия;Имя\nПетрова;Анна\n".encode()),
        SimpleUploadedFile("staff.xlsx", b"not really an excel workbook"),
        SimpleUploadedFile("staff.xls", b"\xd0\xcf\x11\xe0 old excel"),
    ],
    ids=["csv", "renamed text", "old xls"],
)
def test_a_file_that_is_not_xlsx_gets_an_error_next_to_the_file_field(district, client_for, file):
    client = client_for(district.curator_a)

    response = upload(client, district.school_a, file)

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert "result" not in response.context
    assert 'id="error_1_id_file"' in response.content.decode()


def test_a_file_with_too_many_rows_is_refused(district, client_for):
    client = client_for(district.curator_a)
    rows = [row(last_name=f"Фамилия{number}") for number in range(MAX_ROWS + 1)]

    response = upload(client, district.school_a, xlsx(rows))

    assert response.context["form"].errors["file"] == [
        ru("The file has more than %(count)s rows. Split it into several files.", count="10 000")
    ]


def test_curator_of_another_school_gets_404(district, client_for):
    client = client_for(district.curator_b)
    before = counts()

    assert client.get(import_url(district.school_a)).status_code == 404
    response = client.post(import_url(district.school_a), {"file": xlsx([row()])})
    assert response.status_code == 404
    template = f"/organizations/{district.school_a.pk}/staff/import/template.xlsx"
    assert client.get(template).status_code == 404
    assert counts() == before


@pytest.mark.parametrize("persona", ["coordinator", "school_specialist"])
def test_committee_staff_may_download_the_template_but_not_import(district, client_for, persona):
    client = client_for(getattr(district, persona))

    assert client.get(import_url(district.school_a)).status_code == 403
    assert client.post(import_url(district.school_a), {"file": xlsx([row()])}).status_code == 403
    template = f"/organizations/{district.school_a.pk}/staff/import/template.xlsx"
    assert client.get(template).status_code == 200


def test_mentor_may_not_import_nor_download_the_template(district, client_for):
    client = client_for(district.mentor_a)

    assert client.get(import_url(district.school_a)).status_code == 403
    template = f"/organizations/{district.school_a.pk}/staff/import/template.xlsx"
    assert client.get(template).status_code == 403


def test_anonymous_user_is_sent_to_login(client, district):
    response = client.get(import_url(district.school_a))

    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_upload_page_shows_the_form_and_a_link_to_the_template(district, client_for):
    response = client_for(district.curator_a).get(import_url(district.school_a))

    content = response.content.decode()
    assert 'type="file"' in content
    assert f"/organizations/{district.school_a.pk}/staff/import/template.xlsx" in content


def test_template_downloads_and_imports_cleanly_after_filling_one_row(district, client_for):
    client = client_for(district.curator_a)
    response = client.get(f"/organizations/{district.school_a.pk}/staff/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")

    workbook = load_workbook(BytesIO(response.content))
    staff, reference = workbook.worksheets
    assert reference.title == ru("Positions")
    headings = [cell.value for cell in staff[1]]
    assert headings[0] == ru("Last name")
    listed = [cell.value for cell in reference["A"][1:] if cell.value]
    assert listed == list(Position.objects.values_list("name", flat=True))
    categories = [cell.value for cell in reference["C"][1:] if cell.value]
    with translation.override("ru"):
        assert categories == [str(label) for label in QualificationCategory.labels]
    assert staff.data_validations.dataValidation, "a dropdown of positions"

    column = {heading: index for index, heading in enumerate(headings, start=1)}
    values = {
        ru("Last name"): "Кузнецова",
        ru("First name"): "Дарья",
        ru("Position"): listed[1],
        ru("Hire date (dd.mm.yyyy)"): datetime.datetime(2024, 9, 2),
        ru("Qualification category"): categories[3],
        ru("Teaching experience, years"): 1,
        ru("Total experience, years"): 1,
        ru("E-mail"): "kuznetsova@school.ru",
    }
    for heading, value in values.items():
        staff.cell(row=2, column=column[heading], value=value)
    buffer = BytesIO()
    workbook.save(buffer)
    before = counts()

    preview = upload(
        client, district.school_a, SimpleUploadedFile("filled.xlsx", buffer.getvalue())
    )
    assert preview.context["result"].is_valid, preview.context["result"].rows[0].errors
    confirm(client, district.school_a, preview)

    assert counts() == (before[0] + 1, before[1] + 1)
    employment = Employment.objects.get(person__last_name="Кузнецова")
    assert employment.position.name == listed[1]
    assert employment.hired_on == datetime.date(2024, 9, 2)
    assert employment.qualification_category == QualificationCategory.values[3]
    assert employment.person.is_young_specialist
