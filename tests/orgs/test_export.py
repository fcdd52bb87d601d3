"""Excel export of lists: the file holds exactly the rows the user filtered and may see."""

from __future__ import annotations

import datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from orgs.models import OrganizationKind
from tests.factories import EmploymentFactory, OrganizationFactory, PersonFactory


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def young(organization, last_name: str, **kwargs):
    teaching_since = timezone.localdate() - datetime.timedelta(days=365)
    return EmploymentFactory(
        organization=organization,
        person=PersonFactory(last_name=last_name, teaching_since=teaching_since),
        **kwargs,
    )


def test_staff_export_holds_exactly_the_filtered_rows(district, client_for):
    young(district.school_a, "Молодова")
    young(district.school_a, "Новикова")
    # Not in the filtered list: dismissed, another school, not a young specialist.
    young(district.school_a, "Уволенная", dismissed_on=timezone.localdate())
    young(district.school_b, "Чужая")
    client = client_for(district.curator_a)
    url = f"/organizations/{district.school_a.pk}/staff/"

    page = client.get(url, {"young_specialist": "true"})
    response = client.get(url, {"young_specialist": "true", "export": "xlsx"})

    rows = sheet_rows(response)
    assert sorted(row[0] for row in rows) == ["Молодова", "Новикова"]
    shown = {employment.person.last_name for employment in page.context["object_list"]}
    assert shown == {row[0] for row in rows}


def test_staff_export_without_filters_has_every_working_teacher(district, client_for):
    client = client_for(district.curator_a)

    response = client.get(f"/organizations/{district.school_a.pk}/staff/", {"export": "xlsx"})

    rows = sheet_rows(response)
    assert len(rows) == 3  # teacher_a and the persons of mentor_a and mentee_a
    assert district.teacher_a.person.last_name in {row[0] for row in rows}
    assert "Берёзова" not in {row[0] for row in rows}


def test_staff_export_of_another_school_is_404_for_its_curator(district, client_for):
    client = client_for(district.curator_b)

    response = client.get(f"/organizations/{district.school_a.pk}/staff/", {"export": "xlsx"})

    assert response.status_code == 404


def test_organization_export_for_kindergarten_specialist_has_kindergartens_only(
    district, client_for
):
    OrganizationFactory(
        municipality=district.other_municipality,
        kind=OrganizationKind.PRESCHOOL,
        short_name="Детский сад другого района",
    )
    client = client_for(district.kindergarten_specialist)

    response = client.get("/organizations/", {"export": "xlsx"})

    names = sorted(row[0] for row in sheet_rows(response))
    assert names == sorted([district.kindergarten.short_name, district.kindergarten_b.short_name])


def test_organization_export_follows_the_search_filter(district, client_for):
    client = client_for(district.coordinator)

    response = client.get("/organizations/", {"q": "таловская", "export": "xlsx"})

    assert [row[0] for row in sheet_rows(response)] == [district.school_b.short_name]
