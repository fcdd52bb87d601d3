"""Scoping of every programs screen, download and PDF, both ways, per role."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from programs import services
from programs.models import ActivityStatus, Program, ProgramStatus, RouteItemKind
from tests.programs.conftest import TODAY, activity_data

PDF = b"%PDF-1.4 plan"

EDITORS = ("mentor_a", "mentee_a", "curator_a")
READERS = ("coordinator", "school_specialist", "head_a")
STRANGERS = ("curator_b", "kindergarten_specialist", "foreign_coordinator")


@pytest.fixture
def with_file(district, program, areas):
    activity = program.activities.first()
    services.activity_update(
        user=district.mentee_a,
        activity=activity,
        data=activity_data(areas, file=SimpleUploadedFile("Конспект.pdf", PDF)),
    )
    activity.refresh_from_db()
    return activity


def program_urls(program, activity):
    pair, mentee = program.pair_id, program.mentee_id
    return {
        "read": [
            reverse("programs:program_detail", args=[program.pk]),
            reverse("programs:program_pdf", args=[program.pk]),
            reverse("programs:activity_file", args=[activity.pk]),
            reverse("programs:diagnostic_result", args=[pair, mentee]),
        ],
        "edit": [
            reverse("programs:program_edit", args=[program.pk]),
            reverse("programs:activity_add", args=[program.pk]),
            reverse("programs:activity_edit", args=[activity.pk]),
            reverse("programs:program_complete", args=[program.pk]),
            reverse("programs:propose_activity", args=[activity.pk]),
        ],
    }


def test_anonymous_users_are_sent_to_sign_in(client, program, with_file):
    for url in sum(program_urls(program, with_file).values(), []):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("role", EDITORS + READERS)
def test_the_program_its_pdf_file_and_diagnostics_are_read_by_its_people_and_the_committee(
    district, client_for, program, with_file, role
):
    client = client_for(getattr(district, role))
    for url in program_urls(program, with_file)["read"]:
        assert client.get(url).status_code == 200, url
    listing = client.get(reverse("programs:program_list"))
    assert program.mentee.full_name in listing.content.decode()


@pytest.mark.parametrize("role", STRANGERS)
def test_the_program_is_not_found_by_others(district, client_for, program, with_file, role):
    client = client_for(getattr(district, role))
    for url in sum(program_urls(program, with_file).values(), []):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("programs:program_list"))
    assert program.mentee.full_name not in listing.content.decode()


def test_another_mentee_of_a_group_does_not_see_a_fellows_program(
    district, client_for, program, areas
):
    from mentoring.models import PairMentee
    from orgs.models import Role
    from tests.factories import EmploymentFactory, RoleFactory, UserFactory

    fellow = EmploymentFactory(organization=district.school_a).person
    PairMentee.objects.create(pair=program.pair, person=fellow)
    user = UserFactory(username="fellow", person=fellow)
    RoleFactory(user=user, role=Role.MENTEE, organization=district.school_a)
    client = client_for(user)
    assert client.get(reverse("programs:program_detail", args=[program.pk])).status_code == 404
    assert client.get(reverse("programs:program_pdf", args=[program.pk])).status_code == 404


@pytest.mark.parametrize("role", EDITORS)
def test_editors_open_the_edit_screens(district, client_for, program, with_file, role):
    client = client_for(getattr(district, role))
    # The plan and its closing are the mentor's and the curator's; the mentee keeps the road
    # map of her own work (Положение: she writes only her parts).
    run_only = {
        reverse("programs:program_edit", args=[program.pk]),
        reverse("programs:program_complete", args=[program.pk]),
    }
    for url in program_urls(program, with_file)["edit"]:
        expected = 403 if role == "mentee_a" and url in run_only else 200
        assert client.get(url).status_code == expected, url


def test_the_mentee_neither_starts_nor_completes_her_program_nor_writes_the_mentors_part(
    district, client_for, program
):
    program.status = ProgramStatus.APPROVED
    program.save()
    mentee = client_for(district.mentee_a)
    assert mentee.post(reverse("programs:program_start", args=[program.pk])).status_code == 403
    assert Program.objects.get(pk=program.pk).status == ProgramStatus.APPROVED
    client_for(district.mentor_a).post(reverse("programs:program_start", args=[program.pk]))
    assert Program.objects.get(pk=program.pk).status == ProgramStatus.IN_PROGRESS
    mentee = client_for(district.mentee_a)
    closing = {"mentor_conclusion": "Цели достигнуты", "mentee_conclusion": "Мне помогло"}
    url = reverse("programs:program_complete", args=[program.pk])
    assert mentee.post(url, closing).status_code == 403
    with pytest.raises(PermissionDenied):
        services.program_complete(
            user=district.mentee_a,
            program=program,
            data=services.ClosingData(results={}, mentor_conclusion="x", mentee_conclusion="y"),
            today=program.starts_on,
        )
    # Her own conclusion is hers to write, and it touches nothing else.
    url = reverse("programs:mentee_conclusion", args=[program.pk])
    assert mentee.post(url, {"mentee_conclusion": "Научилась планировать урок"}).status_code == 302
    program.refresh_from_db()
    assert program.mentee_conclusion == "Научилась планировать урок"
    assert (program.mentor_conclusion, program.status) == ("", ProgramStatus.IN_PROGRESS)
    assert client_for(district.mentor_a).get(url).status_code == 403


@pytest.mark.parametrize("role", READERS)
def test_the_committee_and_the_head_only_read(district, client_for, program, with_file, role):
    client = client_for(getattr(district, role))
    for url in program_urls(program, with_file)["edit"]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("programs:program_approve", args=[program.pk])).status_code == 403
    assert Program.objects.get(pk=program.pk).status == ProgramStatus.DRAFT


def test_the_mentor_cannot_approve_and_the_curator_can(district, client_for, program):
    url = reverse("programs:program_approve", args=[program.pk])
    assert client_for(district.mentor_a).post(url).status_code == 403
    assert client_for(district.curator_b).post(url).status_code == 404
    assert client_for(district.curator_a).get(url).status_code == 405
    response = client_for(district.curator_a).post(url)
    assert response.status_code == 302
    assert Program.objects.get(pk=program.pk).status == ProgramStatus.APPROVED


def test_a_too_long_period_is_shown_next_to_the_end_date_and_nothing_changes(
    district, client_for, program, areas
):
    form_data = {
        "form": program.form_id,
        "kind": program.kind_id,
        "starts_on": "2026-09-01",
        "ends_on": "2027-12-31",
        "goals": "Новые цели",
        "deficits": [areas["metod"].pk],
    }
    response = client_for(district.mentor_a).post(
        reverse("programs:program_edit", args=[program.pk]), form_data
    )
    assert response.status_code == 200
    assert "от 3 месяцев до 1 года" in response.context["form"].errors["ends_on"][0]
    assert Program.objects.get(pk=program.pk).goals != "Новые цели"


def test_the_mentee_fills_the_self_diagnosis_through_the_form(district, client_for, pair):
    from programs.models import Diagnostic, DifficultyItem

    url = reverse(
        "programs:diagnostic_fill", args=[pair.pk, district.mentee_a.person.pk, "start", "self"]
    )
    data = {f"item_{item.pk}": "2" for item in DifficultyItem.objects.all()}
    assert client_for(district.mentor_a).get(url).status_code == 403
    missing = dict(data)
    missing.pop(next(iter(missing)))
    response = client_for(district.mentee_a).post(url, missing)
    assert response.status_code == 200 and not Diagnostic.objects.exists()
    response = client_for(district.mentee_a).post(url, data)
    assert response.status_code == 302
    assert Diagnostic.objects.get().answers.count() == len(data)


def test_an_uploaded_exe_renamed_to_pdf_is_refused_beside_the_file_field(
    district, client_for, program, areas
):
    activity = program.activities.first()
    response = client_for(district.mentor_a).post(
        reverse("programs:activity_edit", args=[activity.pk]),
        {
            "title": activity.title,
            "planned_on": "2026-10-15",
            "responsible": "both",
            "status": "planned",
            "file": SimpleUploadedFile("plan.pdf", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    activity.refresh_from_db()
    assert not activity.file


def test_a_downloaded_file_is_an_attachment_with_nosniff(district, client_for, with_file):
    response = client_for(district.coordinator).get(
        reverse("programs:activity_file", args=[with_file.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


# The PDF -------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_program_pdf_has_the_mentee_every_activity_and_the_approval_block(
    district, client_for, program
):
    from orgs.models import Person

    district.head_a.person = Person.objects.create(
        last_name="Директорова", first_name="Галина", middle_name="Ивановна"
    )
    district.head_a.save()
    response = client_for(district.coordinator).get(
        reverse("programs:program_pdf", args=[program.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content).split())
    assert "УТВЕРЖДАЮ" in text
    assert "Г. И. Директорова" in text  # initials before the surname, as signed
    assert "«___» ________ 20__ г." in text
    assert program.mentee.full_name in text
    assert program.pair.organization.full_name in text
    for title in program.activities.values_list("title", flat=True):
        assert title in text
    assert "15.10.2026" in text
    assert "Персонализированная программа наставничества" in text
    assert "методические" in text.lower()


def test_the_route_pdf_has_the_teacher_the_four_kinds_and_the_approval_block(district, client_for):
    route = services.route_create(
        user=district.mentee_a,
        person=district.mentee_a.person,
        organization=district.school_a,
        data=services.RouteData(
            datetime.date(2026, 9, 1), datetime.date(2030, 9, 1), "Учитель-исследователь"
        ),
    )
    services.route_item_save(
        user=district.mentee_a,
        route=route,
        today=TODAY,
        data=services.RouteItemData(
            kind=RouteItemKind.COURSE,
            title="Курсы по функциональной грамотности",
            planned_start=datetime.date(2027, 1, 10),
            planned_end=datetime.date(2027, 2, 10),
            hours=72,
        ),
    )
    response = client_for(district.curator_a).get(reverse("programs:route_pdf", args=[route.pk]))
    text = " ".join(pdf_text(response.content).split())
    assert "УТВЕРЖДАЮ" in text
    assert district.mentee_a.person.full_name in text
    assert "Курсы по функциональной грамотности" in text
    assert "72" in text
    assert "Учитель-исследователь" in text


# Routes ----------------------------------------------------------------------------------------


@pytest.fixture
def route(district):
    route = services.route_create(
        user=district.mentee_a,
        person=district.mentee_a.person,
        organization=district.school_a,
        data=services.RouteData(
            datetime.date(2026, 9, 1), datetime.date(2030, 9, 1), "Учитель-исследователь"
        ),
    )
    services.route_item_save(
        user=district.mentee_a,
        route=route,
        today=TODAY,
        data=services.RouteItemData(
            kind=RouteItemKind.TRIAL,
            title="Урок-исследование",
            planned_start=datetime.date(2027, 1, 10),
            planned_end=datetime.date(2027, 2, 10),
            file=SimpleUploadedFile("урок.pdf", PDF),
        ),
    )
    return route


def route_urls(route):
    item = route.items.get()
    return {
        "read": [
            reverse("programs:route_detail", args=[route.pk]),
            reverse("programs:route_pdf", args=[route.pk]),
            reverse("programs:route_item_file", args=[item.pk]),
        ],
        "edit": [
            reverse("programs:route_edit", args=[route.pk]),
            reverse("programs:route_areas", args=[route.pk]),
            reverse("programs:route_item_add", args=[route.pk]),
            reverse("programs:route_item_edit", args=[item.pk]),
            reverse("programs:propose_route_item", args=[item.pk]),
        ],
    }


@pytest.mark.parametrize(
    "role, read, edit",
    [
        ("mentee_a", 200, 200),
        ("curator_a", 200, 200),
        ("head_a", 200, 403),
        ("coordinator", 200, 403),
        ("school_specialist", 200, 403),
        ("curator_b", 404, 404),
        ("kindergarten_specialist", 404, 404),
        ("foreign_coordinator", 404, 404),
    ],
)
def test_a_route_is_read_and_edited_by_role(district, client_for, route, role, read, edit):
    client = client_for(getattr(district, role))
    urls = route_urls(route)
    for url in urls["read"]:
        assert client.get(url).status_code == read, url
    for url in urls["edit"]:
        assert client.get(url).status_code == edit, url


# The bank ------------------------------------------------------------------------------------


@pytest.fixture
def proposed(district, with_file):
    return services.product_propose(
        user=district.mentee_a,
        activity=with_file,
        data=services.ProductData(title="Технологическая карта урока дробей", kind="lesson"),
    )


@pytest.mark.parametrize(
    "role, status",
    [
        ("mentee_a", 200),
        ("curator_a", 200),
        ("head_a", 200),
        ("coordinator", 200),
        ("school_specialist", 200),
        ("curator_b", 404),
        ("kindergarten_specialist", 404),
        ("foreign_coordinator", 404),
    ],
)
def test_a_proposed_product_is_seen_by_its_author_organization_and_committee_only(
    district, client_for, proposed, role, status
):
    client = client_for(getattr(district, role))
    assert client.get(reverse("programs:product_detail", args=[proposed.pk])).status_code == status
    assert client.get(reverse("programs:product_file", args=[proposed.pk])).status_code == status


@pytest.mark.parametrize(
    "role, status",
    [
        ("curator_b", 200),
        ("kindergarten_specialist", 200),
        ("mentor_a", 200),
        ("foreign_coordinator", 404),
    ],
)
def test_an_accepted_product_is_found_by_every_user_of_the_municipality(
    district, client_for, proposed, role, status
):
    services.product_decide(user=district.curator_a, product=proposed, accept=True)
    client = client_for(getattr(district, role))
    assert client.get(reverse("programs:product_file", args=[proposed.pk])).status_code == status
    listing = client.get(
        reverse("programs:bank"), {"kind": "lesson", "organization_kind": "general"}
    )
    assert (proposed.title in listing.content.decode()) == (status == 200)
    other = client.get(reverse("programs:bank"), {"organization_kind": "preschool"})
    assert proposed.title not in other.content.decode()


@pytest.mark.parametrize(
    "role, status", [("head_a", 403), ("coordinator", 403), ("mentee_a", 403), ("curator_b", 404)]
)
def test_only_the_curator_decides_on_a_product(district, client_for, proposed, role, status):
    url = reverse("programs:product_decide", args=[proposed.pk])
    assert client_for(getattr(district, role)).post(url, {"accept": "1"}).status_code == status
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    assert client_for(district.curator_a).post(url, {"accept": "1"}).status_code == 302


# Reference data ----------------------------------------------------------------------------


def test_the_coordinator_edits_the_areas_and_others_only_read(district, client_for, areas):
    area = areas["ikt"]
    url = reverse("programs:area_edit", args=[area.pk])
    assert client_for(district.curator_a).get(reverse("programs:area_list")).status_code == 200
    assert (
        client_for(district.curator_a).post(url, {"name": "x", "sort_order": 1}).status_code == 403
    )
    response = client_for(district.coordinator).post(
        url, {"name": "ИКТ-компетенции педагога", "sort_order": 6, "is_active": "on"}
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name == "ИКТ-компетенции педагога"
    response = client_for(district.coordinator).post(
        reverse("programs:item_add", args=[area.pk]),
        {"text": "работа с ИИ-помощниками", "sort_order": 3, "is_active": "on"},
    )
    assert response.status_code == 302
    assert area.items.filter(text="работа с ИИ-помощниками").exists()


def test_every_page_renders_for_its_editor(district, client_for, program, route, proposed):
    client = client_for(district.mentee_a)
    for url in (
        reverse("programs:program_list"),
        reverse("programs:route_list"),
        reverse("programs:route_create"),
        reverse("programs:bank"),
        reverse("programs:bank") + "?status=proposed",
        reverse("programs:route_complete", args=[route.pk]),
        reverse(
            "programs:diagnostic_fill", args=[program.pair_id, program.mentee_id, "start", "self"]
        ),
    ):
        assert client.get(url).status_code == 200, url
    assert ActivityStatus.PLANNED
