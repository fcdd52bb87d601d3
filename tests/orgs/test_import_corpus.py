"""A corpus of staff lists shaped the way schools keep them, each with the preview it must give.

Every file is written here, by the test, the way Excel, LibreOffice or a hand-made CSV would
leave it: merged title rows, two-row headings, ФИО in one column, dates as serial numbers,
a second sheet, formulas without saved values, Windows-1251, and files that must be refused.
"""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
import xlwt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from orgs.models import Employment, PendingImport, Person
from tests.factories import EmploymentFactory, PersonFactory

SEPT_2015 = datetime.date(2015, 9, 1)
HEADINGS = ["Фамилия", "Имя", "Отчество", "Должность", "Дата приема"]


def ru(message: str, **params) -> str:
    with translation.override("ru"):
        text = translation.gettext(message)
    return text % params if params else text


def workbook_bytes(fill) -> bytes:
    workbook = Workbook()
    fill(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def simple_sheet(rows, headings=HEADINGS):
    def fill(workbook):
        sheet = workbook.active
        sheet.append(headings)
        for values in rows:
            sheet.append(values)

    return fill


def upload(client, organization, name: str, content: bytes):
    return client.post(
        f"/organizations/{organization.pk}/staff/import/",
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def preview_of(response):
    assert response.status_code == 200
    assert "result" in response.context, response.context["form"].errors
    return response.context["result"]


@pytest.fixture
def curator(district, client_for):
    return client_for(district.curator_a)


def test_an_excel_serial_number_reads_as_a_date(district, curator):
    content = workbook_bytes(simple_sheet([["Петрова", "Анна", "", "учитель", 42248]]))

    result = preview_of(upload(curator, district.school_a, "staff.xlsx", content))

    assert result.is_valid
    assert result.rows[0].data.hired_on == SEPT_2015


@pytest.mark.parametrize(
    "written",
    ["1 сентября 2015", "1 сентября 2015 г.", "01.09.2015", "2015-09-01", SEPT_2015],
    ids=["words", "words with г.", "dd.mm.yyyy", "iso", "date cell"],
)
def test_dates_in_every_form_a_curator_writes_them_read_alike(district, curator, written):
    content = workbook_bytes(simple_sheet([["Петрова", "Анна", "", "учитель", written]]))

    result = preview_of(upload(curator, district.school_a, "staff.xlsx", content))

    assert result.is_valid, result.rows[0].errors
    assert result.rows[0].data.hired_on == SEPT_2015


def test_spaces_inside_names_and_positions_are_normalized(district, curator):
    content = workbook_bytes(
        simple_sheet([["  Петрова ", "Анна\u00a0\u00a0Мария", "", "учитель   ", "01.09.2015"]])
    )

    result = preview_of(upload(curator, district.school_a, "staff.xlsx", content))

    assert result.is_valid
    assert (result.rows[0].data.last_name, result.rows[0].data.first_name) == (
        "Петрова",
        "Анна Мария",
    )


def test_a_merged_title_row_above_the_headings_is_skipped(district, curator):
    def fill(workbook):
        sheet = workbook.active
        sheet["A1"] = "Список педагогических работников МБОУ «Барановская СОШ» на 01.09.2026"
        sheet.merge_cells("A1:E1")
        sheet.append([])
        sheet.append(HEADINGS)
        sheet.append(["Петрова", "Анна", "Сергеевна", "учитель", "01.09.2015"])

    result = preview_of(upload(curator, district.school_a, "staff.xlsx", workbook_bytes(fill)))

    assert result.is_valid
    assert [row.number for row in result.rows] == [4]
    assert result.rows[0].full_name == "Петрова Анна Сергеевна"


def test_a_two_row_heading_with_fio_over_three_columns_is_read(district, curator):
    def fill(workbook):
        sheet = workbook.active
        sheet.append(["ФИО", None, None, "Должность", "Дата приёма на работу"])
        sheet.merge_cells("A1:C1")
        sheet.append(["Фамилия", "Имя", "Отчество", None, None])
        sheet.append(["Петрова", "Анна", "Сергеевна", "учитель", "01.09.2015"])

    result = preview_of(upload(curator, district.school_a, "staff.xlsx", workbook_bytes(fill)))

    assert result.is_valid
    assert result.rows[0].number == 3
    assert result.rows[0].data.middle_name == "Сергеевна"


def test_fio_in_one_column_columns_in_any_order_and_synonyms(district, curator):
    headings = ["Дата трудоустройства", "Занимаемая должность", "Ф.И.О. педагога", "Стаж общий"]
    content = workbook_bytes(
        simple_sheet([["01.09.2015", "учитель", "Петрова  Анна Сергеевна", 12]], headings)
    )

    result = preview_of(upload(curator, district.school_a, "staff.xlsx", content))

    assert result.is_valid
    data = result.rows[0].data
    assert (data.last_name, data.first_name, data.middle_name) == ("Петрова", "Анна", "Сергеевна")
    assert data.career_years == 12


def test_data_on_the_second_sheet_is_found_and_the_sheet_is_named(district, curator):
    def fill(workbook):
        workbook.active.title = "Пояснения"
        workbook.active["A1"] = "Заполните лист «Сотрудники»"
        sheet = workbook.create_sheet("Сотрудники")
        sheet.append(HEADINGS)
        sheet.append(["Петрова", "Анна", "", "учитель", "01.09.2015"])

    response = upload(curator, district.school_a, "staff.xlsx", workbook_bytes(fill))

    result = preview_of(response)
    assert result.sheet == "Сотрудники" and result.is_valid
    assert '«<span id="import-sheet">Сотрудники</span>»' in response.content.decode()


def test_with_two_fitting_sheets_the_user_picks_one(district, curator):
    def fill(workbook):
        first = workbook.active
        first.title = "2025"
        first.append(HEADINGS)
        first.append(["Старова", "Анна", "", "учитель", "01.09.2015"])
        second = workbook.create_sheet("2026")
        second.append(HEADINGS)
        second.append(["Новикова", "Анна", "", "учитель", "01.09.2015"])
        second.append(["Новиков", "Иван", "", "учитель", "01.09.2016"])

    response = upload(curator, district.school_a, "staff.xlsx", workbook_bytes(fill))
    result = preview_of(response)
    assert result.sheets == ["2025", "2026"]
    assert result.sheet == "2026"  # the fuller one, until the user says otherwise
    assert 'name="sheet"' in response.content.decode()

    token = response.context["token"]
    picked = curator.get(
        f"/organizations/{district.school_a.pk}/staff/import/", {"token": token, "sheet": "2025"}
    )
    assert preview_of(picked).sheet == "2025"
    assert [row.full_name for row in preview_of(picked).rows] == ["Старова Анна"]

    curator.post(
        f"/organizations/{district.school_a.pk}/staff/import/",
        {"token": token, "sheet": "2025", "confirm": "1"},
    )
    assert Person.objects.filter(last_name="Старова").exists()
    assert not Person.objects.filter(last_name="Новикова").exists()


def test_a_formula_without_a_saved_value_is_reported_with_its_cell(district, curator):
    content = workbook_bytes(simple_sheet([["Петрова", "Анна", "", "учитель", "=DATE(2015,9,1)"]]))

    result = preview_of(upload(curator, district.school_a, "staff.xlsx", content))

    assert not result.is_valid
    assert result.rows[0].errors == [
        ru(
            "%(cell)s: a formula without a saved value. Open the file in Excel, let it "
            "calculate, save it and upload it again.",
            cell="E2",
        )
    ]


def test_refused_rows_name_the_cell_of_the_error(district, curator):
    content = workbook_bytes(simple_sheet([["Петрова", "Анна", "", "космонавт", "32.13.2015"]]))

    result = preview_of(upload(curator, district.school_a, "staff.xlsx", content))

    errors = result.rows[0].errors
    assert errors[0].startswith("D2: ") and "космонавт" in errors[0]
    assert errors[1].startswith("E2: ") and "32.13.2015" in errors[1]


@pytest.mark.parametrize(
    "encoding,delimiter", [("utf-8", ","), ("utf-8-sig", ";"), ("cp1251", ";"), ("cp1251", ",")]
)
def test_csv_in_utf8_or_windows_1251_with_either_separator(district, curator, encoding, delimiter):
    lines = [
        delimiter.join(HEADINGS),
        delimiter.join(["Петрова", "Анна", "Сергеевна", "учитель", "01.09.2015"]),
    ]
    content = "\r\n".join(lines).encode(encoding)

    result = preview_of(upload(curator, district.school_a, "staff.csv", content))

    assert result.is_valid
    assert result.rows[0].full_name == "Петрова Анна Сергеевна"
    assert result.sheet == ""


def test_an_old_xls_workbook_is_read(district, curator):
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Штат")
    for column, heading in enumerate(HEADINGS):
        sheet.write(0, column, heading)
    date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for column, value in enumerate(["Петрова", "Анна", "Сергеевна", "учитель"]):
        sheet.write(1, column, value)
    sheet.write(1, 4, SEPT_2015, date_style)
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = preview_of(upload(curator, district.school_a, "staff.xls", buffer.getvalue()))

    assert result.is_valid and result.sheet == "Штат"
    assert result.rows[0].data.hired_on == SEPT_2015


def test_the_preview_sorts_rows_into_new_people_new_jobs_changes_unchanged_and_refused(
    district, curator
):
    teacher = district.teacher_a  # a teacher of school A, in some position
    person = teacher.person
    same = [
        person.last_name,
        person.first_name,
        person.middle_name,
        teacher.position.name,
    ]
    content = workbook_bytes(
        simple_sheet(
            [
                ["Новикова", "Анна", "", "учитель", "01.09.2015", ""],
                [*same, teacher.hired_on, teacher.subjects],
                [*same[:3], "педагог-психолог", "01.09.2020", ""],
                ["Петрова", "Анна", "", "космонавт", "01.09.2015", ""],
            ],
            [*HEADINGS, "Предметы"],
        )
    )
    EmploymentFactory(
        organization=district.school_a,
        person=PersonFactory(last_name="Сменова", first_name="Ольга", middle_name=""),
        subjects="химия",
        hired_on=SEPT_2015,
    )
    content_changed = workbook_bytes(
        simple_sheet(
            [["Сменова", "Ольга", "", "учитель", "01.09.2015", "биология"]], [*HEADINGS, "Предметы"]
        )
    )

    result = preview_of(upload(curator, district.school_a, "staff.xlsx", content))
    assert [row.number for row in result.new_people] == [2]
    assert [row.number for row in result.unchanged] == [3]
    assert [row.number for row in result.new_jobs] == [4]
    assert [row.number for row in result.error_rows] == [5]

    response = upload(curator, district.school_a, "staff.xlsx", content_changed)
    changed = preview_of(response).changed
    assert [row.number for row in changed] == [2]
    assert changed[0].changes == [(ru("Subjects"), "химия", "биология")]
    assert "<del>химия</del> → <ins>биология</ins>" in response.content.decode()


def test_errors_come_back_as_the_same_workbook_with_a_column_of_reasons(district, curator):
    def fill(workbook):
        sheet = workbook.active
        sheet.title = "Кадры"
        sheet["A1"] = "Список работников"
        sheet.append(HEADINGS)
        sheet.append(["Петрова", "Анна", "", "учитель", "01.09.2015"])
        sheet.append(["Орлова", "Ирина", "", "космонавт", "01.09.2015"])
        workbook.create_sheet("Справка")["A1"] = "не трогать"

    response = upload(curator, district.school_a, "staff.xlsx", workbook_bytes(fill))
    token = response.context["token"]
    download = curator.get(
        f"/organizations/{district.school_a.pk}/staff/import/errors.xlsx", {"token": token}
    )

    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(download.content))
    assert workbook.sheetnames == ["Кадры", "Справка"]
    sheet = workbook["Кадры"]
    assert sheet["A1"].value == "Список работников"
    assert sheet["F2"].value == ru("Errors")
    assert sheet["F3"].value is None
    assert "космонавт" in sheet["F4"].value and sheet["F4"].value.startswith("D4: ")


@pytest.mark.parametrize(
    "name,content,message",
    [
        (
            "staff.xlsx",
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",
            "This file is not really %(type)s. Save it from Excel as .xlsx, .xls or .csv "
            "and upload it again.",
        ),
        ("staff.pdf", b"%PDF-1.7\n", "Upload an .xlsx, .xls or .csv file."),
    ],
    ids=["pdf named xlsx", "pdf"],
)
def test_a_file_that_is_not_a_list_is_refused(district, curator, name, content, message):
    response = upload(curator, district.school_a, name, content)

    assert response.context["form"].errors["file"] == [ru(message, type="XLSX")]
    assert not PendingImport.objects.exists()


def test_a_zip_bomb_named_xlsx_is_refused_without_unpacking_it(district, curator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(120):
                entry.write(chunk)
    assert len(buffer.getvalue()) < 1024 * 1024

    response = upload(curator, district.school_a, "staff.xlsx", buffer.getvalue())

    assert response.context["form"].errors["file"] == [
        ru("The file unpacks to far more than a list holds; it is not read.")
    ]


def test_10000_rows_are_accepted_and_10001_refused(district, curator):
    row = "Петрова{};Анна;;учитель;01.09.2015"
    lines = [";".join(HEADINGS), *(row.format(number) for number in range(10_000))]

    accepted = preview_of(
        upload(curator, district.school_a, "staff.csv", "\n".join(lines).encode())
    )
    refused = upload(
        curator,
        district.school_a,
        "staff.csv",
        "\n".join([*lines, row.format("лишняя")]).encode(),
    )

    assert len(accepted.rows) == 10_000 and accepted.is_valid
    assert refused.context["form"].errors["file"] == [
        ru("The file has more than %(count)s rows. Split it into several files.", count="10 000")
    ]


def test_the_upload_waits_in_the_database_so_a_cache_outage_does_not_matter(
    district, curator, settings
):
    # The portal's cache (core.cache), with Redis gone: what it would keep is lost.
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:1/13",  # nothing listens there
        }
    }
    content = workbook_bytes(simple_sheet([["Петрова", "Анна", "", "учитель", "01.09.2015"]]))

    response = upload(curator, district.school_a, "staff.xlsx", content)

    assert preview_of(response).is_valid
    assert PendingImport.objects.get().file_name == "staff.xlsx"
    done = curator.post(
        f"/organizations/{district.school_a.pk}/staff/import/",
        {"token": response.context["token"], "confirm": "1"},
        follow=True,
    )
    assert done.status_code == 200
    assert Employment.objects.filter(person__last_name="Петрова").count() == 1


def test_a_second_confirmation_shows_the_result_of_the_first(district, curator):
    content = workbook_bytes(simple_sheet([["Петрова", "Анна", "", "учитель", "01.09.2015"]]))
    token = upload(curator, district.school_a, "staff.xlsx", content).context["token"]
    url = f"/organizations/{district.school_a.pk}/staff/import/"

    first = curator.post(url, {"token": token, "confirm": "1"}, follow=True)
    second = curator.post(url, {"token": token, "confirm": "1"}, follow=True)

    assert Employment.objects.filter(person__last_name="Петрова").count() == 1
    for response in (first, second):
        assert response.status_code == 200
        assert response.context["done"].outcome["new_people"] == 1
    assert ru("This file has already been imported; nothing more done.") in second.content.decode()


def test_a_column_the_file_does_not_have_changes_nothing(district, curator):
    EmploymentFactory(
        organization=district.school_a,
        person=PersonFactory(last_name="Высшая", first_name="Ольга", middle_name=""),
        qualification_category="highest",
        subjects="химия",
        hired_on=SEPT_2015,
    )
    content = workbook_bytes(simple_sheet([["Высшая", "Ольга", "", "учитель", "01.09.2015"]]))

    result = preview_of(upload(curator, district.school_a, "staff.xlsx", content))

    assert [row.number for row in result.unchanged] == [2]


def test_an_import_written_in_bulk_is_in_the_change_log(district, curator):
    from auditlog.models import LogEntry

    EmploymentFactory(
        organization=district.school_a,
        person=PersonFactory(last_name="Сменова", first_name="Ольга", middle_name=""),
        subjects="химия",
        hired_on=SEPT_2015,
    )
    content = workbook_bytes(
        simple_sheet(
            [
                ["Новикова", "Анна", "", "учитель", "01.09.2015", ""],
                ["Сменова", "Ольга", "", "учитель", "01.09.2015", "биология"],
            ],
            [*HEADINGS, "Предметы"],
        )
    )
    token = upload(curator, district.school_a, "staff.xlsx", content).context["token"]
    before = LogEntry.objects.count()

    curator.post(
        f"/organizations/{district.school_a.pk}/staff/import/", {"token": token, "confirm": "1"}
    )

    new = LogEntry.objects.order_by("pk")[before:]
    person = Person.objects.get(last_name="Новикова")
    created = [e for e in new if e.action == LogEntry.Action.CREATE]
    assert {e.additional_data.get("person_id") for e in created} == {person.pk}
    assert all(e.actor == district.curator_a for e in new)
    updated = [e for e in new if e.action == LogEntry.Action.UPDATE]
    assert [e.changes["subjects"] for e in updated] == [["химия", "биология"]]
