"""Identity without takeover: one school cannot reach another school's teacher by adding her.

The attack of issue 12: the curator of school A adds (by the form or by an Excel file) a
teacher of school B with her name and e-mail, hoping to become one of her employers and so to
open and change school B's pair, program, diagnostics and PDFs, and her experience.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from orgs import services as orgs_services
from orgs.models import Employment, LinkRequestStatus, Person, PersonLinkRequest
from orgs.services import TeacherData
from orgs.staff_import import ImportResult, ImportRow, compare, staff_import
from programs import services
from tests.factories import position
from tests.orgs.test_staff import teacher_form
from tests.programs.conftest import make_pair, program_data


@pytest.fixture
def victim(district, areas):
    """Берёзова of school B, mentee of a school B pair with a program in it."""
    person = district.teacher_b.person
    person.middle_name = "Петровна"
    person.email = "berezova@example.ru"
    person.phone = "+7 900 000-00-01"
    person.save()
    person.refresh_from_db()
    mentor = Employment.objects.create(
        person=Person.objects.create(last_name="Наставникова", first_name="Вера"),
        organization=district.school_b,
        position=position("uchitel"),
        hired_on="2020-09-01",
    ).person
    pair = make_pair(district.school_b, mentor, [person])
    program = services.program_create(
        user=district.curator_b, pair=pair, mentee=person, data=program_data(areas)
    )
    return person, pair, program


def hostile_form(**overrides):
    return teacher_form(
        last_name="Берёзова",
        first_name="Ольга",
        middle_name="Петровна",
        email="BEREZOVA@example.ru",
        phone="+7 999 666-66-66",
        teaching_years="10",
        career_years="12",
        **overrides,
    )


def school_b_pages(victim):
    person, pair, program = victim
    return [
        reverse("orgs:person_detail", args=[person.pk]),
        f"/mentoring/pairs/{pair.pk}/",
        reverse("programs:program_detail", args=[program.pk]),
        reverse("programs:program_pdf", args=[program.pk]),
        reverse("programs:program_edit", args=[program.pk]),
        reverse("programs:diagnostic_result", args=[pair.pk, person.pk]),
    ]


def test_adding_another_schools_teacher_by_the_form_takes_nothing_over(
    district, victim, client_for
):
    person, pair, program = victim
    before = Person.objects.values().get(pk=person.pk)
    client = client_for(district.curator_a)
    response = client.post(reverse("orgs:teacher_add", args=[district.school_a.pk]), hostile_form())
    assert response.status_code == 302
    # Her record is untouched: phone, e-mail, experience, and she has no job at school A.
    assert Person.objects.values().get(pk=person.pk) == before
    assert set(person.employments.values_list("organization", flat=True)) == {district.school_b.pk}
    # School A got a record of what it typed, and a request waits for school B.
    typed = Employment.objects.get(
        organization=district.school_a, person__email__iexact="berezova@example.ru"
    )
    assert typed.person_id != person.pk
    link = PersonLinkRequest.objects.get()
    assert (link.existing, link.typed, link.status) == (person, typed.person, "pending")
    # No page of school B's teacher opens, and the program cannot be approved or started.
    for url in school_b_pages(victim):
        assert client.get(url).status_code == 404, url
    for action in ("approve", "start", "complete"):
        url = reverse(f"programs:program_{action}", args=[program.pk])
        assert client.post(url).status_code == 404, url
    program.refresh_from_db()
    assert program.approved_by is None
    # The curator of school A cannot confirm her own request either.
    url = reverse("orgs:link_decide", args=[link.pk, "confirm"])
    assert client.post(url).status_code == 404
    assert PersonLinkRequest.objects.get().status == LinkRequestStatus.PENDING


def test_adding_another_schools_teacher_by_an_excel_file_takes_nothing_over(
    district, victim, client_for
):
    person, _pair, _program = victim
    before = Person.objects.values().get(pk=person.pk)
    data = TeacherData(
        last_name="Берёзова",
        first_name="Ольга",
        middle_name="Петровна",
        email="berezova@example.ru",
        phone="+7 999 666-66-66",
        teaching_years=10,
        position=position("uchitel"),
        hired_on=district.teacher_b.hired_on,
    )
    # The row as the file reader leaves it after its checks, then compared with the staff.
    row = ImportRow(
        number=2,
        cells={"last_name": "Берёзова", "first_name": "Ольга", "middle_name": "Петровна"},
        data=data,
    )
    result = ImportResult(rows=[row])
    compare(district.school_a, result)
    staff_import(organization=district.school_a, result=result, user=district.curator_a)
    assert Person.objects.values().get(pk=person.pk) == before
    assert PersonLinkRequest.objects.get().existing == person
    client = client_for(district.curator_a)
    for url in school_b_pages(victim):
        assert client.get(url).status_code == 404, url


def test_a_teacher_who_really_works_at_two_schools_is_joined_when_her_school_confirms(
    district, victim, client_for
):
    person, pair, program = victim
    client_for(district.curator_a).post(
        reverse("orgs:teacher_add", args=[district.school_a.pk]), hostile_form()
    )
    link = PersonLinkRequest.objects.get()
    curator_b = client_for(district.curator_b)
    assert link.existing.full_name in curator_b.get(reverse("orgs:link_requests")).content.decode()
    response = curator_b.post(reverse("orgs:link_decide", args=[link.pk, "confirm"]))
    assert response.status_code == 302
    # One person, two jobs; the typed record is gone; her own fields are still school B's.
    assert set(person.employments.values_list("organization", flat=True)) == {
        district.school_a.pk,
        district.school_b.pk,
    }
    assert not Person.objects.filter(pk=link.typed_id).exists()
    person.refresh_from_db()
    assert person.phone == "+7 900 000-00-01"
    # School A now has her on its staff list and card...
    client = client_for(district.curator_a)
    staff = client.get(reverse("orgs:staff_list", args=[district.school_a.pk])).content.decode()
    assert "Берёзова" in staff
    assert client.get(reverse("orgs:person_detail", args=[person.pk])).status_code == 200
    # ...but school B's pair, program and diagnostics stay school B's.
    for url in school_b_pages(victim)[1:]:
        assert client.get(url).status_code == 404, url
    # Her experience and contacts are not school A's to change: only with both schools' scope.
    job_a = person.employments.get(organization=district.school_a)
    with pytest.raises(ValidationError):
        orgs_services.teacher_update(
            employment=job_a,
            data=TeacherData(
                last_name=person.last_name,
                first_name=person.first_name,
                middle_name=person.middle_name,
                email=person.email,
                phone=person.phone,
                teaching_years=10,
                career_years=person.career_years,
                position=job_a.position,
                hired_on=job_a.hired_on,
            ),
            actor=district.curator_a,
        )
    page = client.get(reverse("orgs:teacher_edit", args=[job_a.pk])).content.decode()
    assert 'name="teaching_years"' in page and "disabled" in page
    # The coordinator, whose scope covers both schools, may.
    orgs_services.teacher_update(
        employment=job_a,
        data=TeacherData(
            last_name=person.last_name,
            first_name=person.first_name,
            middle_name=person.middle_name,
            email=person.email,
            phone="+7 900 000-00-02",
            teaching_years=person.teaching_years,
            career_years=person.career_years,
            position=job_a.position,
            hired_on=job_a.hired_on,
        ),
        actor=district.coordinator,
    )
    person.refresh_from_db()
    assert person.phone == "+7 900 000-00-02"


def test_a_refused_request_leaves_two_separate_records(district, victim, client_for):
    person, _pair, _program = victim
    client_for(district.curator_a).post(
        reverse("orgs:teacher_add", args=[district.school_a.pk]), hostile_form()
    )
    link = PersonLinkRequest.objects.get()
    client_for(district.coordinator).post(reverse("orgs:link_decide", args=[link.pk, "refuse"]))
    link.refresh_from_db()
    assert link.status == LinkRequestStatus.REFUSED
    assert set(person.employments.values_list("organization", flat=True)) == {district.school_b.pk}
    assert Person.objects.get(pk=link.typed_id).employments.get().organization == district.school_a


def test_a_teacher_of_ones_own_school_is_recognised_and_not_entered_twice(district, client_for):
    person = district.teacher_a.person
    person.email = "elkina@example.ru"
    person.save()
    client_for(district.curator_a).post(
        reverse("orgs:teacher_add", args=[district.school_a.pk]),
        teacher_form(
            last_name=person.last_name,
            first_name=person.first_name,
            middle_name=person.middle_name,
            email="ELKINA@example.ru",
            position=position("pedagog_do").pk,
        ),
    )
    assert Person.objects.filter(search_key=person.search_key).count() == 1
    assert not PersonLinkRequest.objects.exists()
