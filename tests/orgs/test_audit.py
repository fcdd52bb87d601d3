"""The change log of personal records (152-ФЗ): who changed what and when, and who may see it."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
import time_machine
from auditlog.context import set_actor
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import capfirst
from openpyxl import load_workbook

from core.erase import erase
from orgs.forms import TeacherForm
from orgs.models import Employment, Person, RoleAssignment
from tests.factories import EmploymentFactory, OrganizationFactory, PersonFactory

AUDIT_URL = reverse("orgs:audit_log")


def label(model, field_name: str) -> str:
    return str(capfirst(model._meta.get_field(field_name).verbose_name))


def edit_through_form(client, employment: Employment, **changes):
    """POST the teacher form as a curator would, changing only the given fields."""
    data = TeacherForm.initial_from(employment)
    data["hired_on"] = data["hired_on"].isoformat()
    data = {key: "" if value is None else value for key, value in data.items()}
    data.update(changes)
    response = client.post(reverse("orgs:teacher_edit", args=[employment.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def audit_page(client, **params) -> str:
    response = client.get(AUDIT_URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_curator_edit_shows_in_coordinators_log_with_actor_and_old_and_new_value(
    district, client_for
):
    edit_through_form(
        client_for(district.curator_a), district.teacher_a, last_name="Ёлкина-Петрова"
    )

    page = audit_page(client_for(district.coordinator), model="teacher", action="1")

    assert district.curator_a.display_name in page
    assert label(Person, "last_name") in page
    assert "Ёлкина" in page and "Ёлкина-Петрова" in page
    assert "&rarr;" in page
    person_url = reverse("orgs:person_detail", args=[district.teacher_a.person_id])
    assert f'href="{person_url}"' in page


def test_changed_job_fields_show_with_verbose_names_and_choice_labels(district, client_for):
    edit_through_form(
        client_for(district.curator_a),
        district.teacher_a,
        subjects="физика",
        qualification_category="highest",
    )

    page = audit_page(client_for(district.coordinator), model="position", action="1")

    assert label(Employment, "subjects") in page
    assert "математика" in page and "физика" in page
    assert label(Employment, "qualification_category") in page
    highest = dict(Employment._meta.get_field("qualification_category").flatchoices)["highest"]
    assert str(highest) in page


def test_coordinator_of_another_municipality_does_not_see_the_change(district, client_for):
    edit_through_form(
        client_for(district.curator_a), district.teacher_a, last_name="Ёлкина-Петрова"
    )

    page = audit_page(client_for(district.foreign_coordinator))

    assert "Ёлкина" not in page
    assert district.curator_a.display_name not in page


def test_coordinator_does_not_see_changes_in_another_municipality(district, client_for):
    foreign_school = OrganizationFactory(municipality=district.other_municipality)
    EmploymentFactory(organization=foreign_school, person=PersonFactory(last_name="Чужакова"))

    assert "Чужакова" not in audit_page(client_for(district.coordinator))
    assert "Чужакова" in audit_page(client_for(district.foreign_coordinator))


def test_deleted_teacher_stays_in_own_municipalitys_log_without_a_link(district, client_for):
    person = district.teacher_b.person
    person_url = reverse("orgs:person_detail", args=[person.pk])
    with pytest.raises(ProtectedError):  # no cascade takes a teacher's positions along
        person.delete()
    erase([person])  # the administrator's real delete (152-ФЗ request)

    page = audit_page(client_for(district.coordinator), q="Берёзова")

    assert "Берёзова Ольга" in page
    assert f'href="{person_url}"' not in page
    foreign_page = audit_page(client_for(district.foreign_coordinator), q="Берёзова")
    assert "Берёзова Ольга" not in foreign_page


def test_municipal_role_changes_are_scoped_to_the_municipality(district, client_for):
    role = RoleAssignment.objects.get(user=district.school_specialist)
    role_name = str(role)
    role.delete()

    assert role_name in audit_page(client_for(district.coordinator), model="role", action="2")
    assert role_name not in audit_page(client_for(district.foreign_coordinator), model="role")


@pytest.mark.parametrize("persona", ["curator_a", "head_a", "school_specialist", "mentor_a"])
def test_staff_other_than_the_coordinator_get_403(district, client_for, persona):
    response = client_for(getattr(district, persona)).get(AUDIT_URL)

    assert response.status_code == 403


def test_anonymous_is_sent_to_sign_in(district, client):
    response = client.get(AUDIT_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_superuser_sees_every_municipality(district, client_for):
    from tests.factories import UserFactory

    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    foreign_school = OrganizationFactory(municipality=district.other_municipality)
    EmploymentFactory(organization=foreign_school, person=PersonFactory(last_name="Чужакова"))

    page = audit_page(client_for(admin), per_page="200")

    assert "Чужакова" in page and "Ёлкина" in page


def test_time_is_shown_in_local_time_as_day_month_year_hours_minutes(district, client_for):
    # 05:30 UTC is 12:30 in Barnaul (UTC+7).
    moment = datetime.datetime(2025, 3, 10, 5, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        edit_through_form(client_for(district.curator_a), district.teacher_a, phone="+7 900")

    page = audit_page(client_for(district.coordinator), model="teacher", action="1")

    assert "10.03.2025 12:30" in page


def test_filters_by_actor_action_record_date_and_name(district, client_for):
    edit_through_form(client_for(district.curator_a), district.teacher_a, phone="+7 111")
    edit_through_form(client_for(district.curator_b), district.teacher_b, phone="+7 222")
    coordinator = client_for(district.coordinator)

    by_actor = audit_page(coordinator, actor=district.curator_b.pk)
    assert "+7 222" in by_actor and "+7 111" not in by_actor

    by_name = audit_page(coordinator, q="елкина")  # «ё» and case do not matter
    assert "+7 111" in by_name and "+7 222" not in by_name

    created_only = audit_page(coordinator, action="0")
    assert "+7 111" not in created_only

    accounts_only = audit_page(coordinator, model="account")
    assert "+7 111" not in accounts_only

    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    assert "+7 111" not in audit_page(coordinator, date_from=tomorrow)
    yesterday = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    assert "+7 111" in audit_page(coordinator, date_from=yesterday, date_to=tomorrow)


def test_export_gives_the_filtered_entries_as_excel(district, client_for):
    edit_through_form(client_for(district.curator_a), district.teacher_a, phone="+7 111")
    coordinator = client_for(district.coordinator)
    coordinator.get(AUDIT_URL, {"model": "teacher", "action": "1"})

    response = coordinator.get(AUDIT_URL, {"model": "teacher", "action": "1", "export": "xlsx"})

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][2] == district.curator_a.display_name
    assert "+7 111" in rows[1][6]


def test_log_page_query_count_does_not_grow_with_entries(
    district, client_for, django_assert_num_queries
):
    coordinator = client_for(district.coordinator)

    def add_edited_teachers(count: int) -> None:
        with set_actor(district.curator_a):
            for _ in range(count):
                employment = EmploymentFactory(organization=district.school_a)
                employment.subjects = "физика"
                employment.save()

    add_edited_teachers(5)
    with CaptureQueriesContext(connection) as few:
        audit_page(coordinator, per_page="200")

    add_edited_teachers(45)
    with django_assert_num_queries(len(few.captured_queries)):
        page = audit_page(coordinator, per_page="200")
    assert page.count("физика") >= 50


def test_curator_sees_the_history_on_the_teachers_card(district, client_for):
    curator = client_for(district.curator_a)
    edit_through_form(curator, district.teacher_a, subjects="физика")

    response = curator.get(reverse("orgs:person_detail", args=[district.teacher_a.person_id]))

    page = response.content.decode()
    assert response.status_code == 200
    assert district.curator_a.display_name in page
    assert label(Employment, "subjects") in page and "физика" in page


def test_card_history_leaves_out_jobs_in_organizations_the_viewer_does_not_read(
    district, client_for
):
    person = district.teacher_a.person
    EmploymentFactory(person=person, organization=district.school_b, subjects="астрономия")

    page = (
        client_for(district.curator_a)
        .get(reverse("orgs:person_detail", args=[person.pk]))
        .content.decode()
    )

    assert "астрономия" not in page
    coordinator_page = (
        client_for(district.coordinator)
        .get(reverse("orgs:person_detail", args=[person.pk]))
        .content.decode()
    )
    assert "астрономия" in coordinator_page


def test_own_card_shows_no_history_to_a_mentor(district, client_for):
    mentor = district.mentor_a

    page = (
        client_for(mentor).get(reverse("orgs:person_detail", args=[mentor.person_id])).content
    ).decode()

    assert "table-history" not in page
