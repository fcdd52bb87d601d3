"""Who may order and download which report: a curator only their organization's, a specialist
only their kind's, the coordinator any of their municipality; across scope a report is not
found (404), a role without reports gets 403."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse

from orgs.models import OrganizationKind
from reports import services as reports
from reports.models import Report, ReportKind, ReportStatus
from tests.reports.conftest import YEAR


@pytest.fixture(autouse=True)
def no_builds(monkeypatch):
    monkeypatch.setattr(reports, "enqueue_build", lambda *args, **kwargs: None)


def ready(**fields) -> Report:
    report = Report.objects.create(academic_year=YEAR, status=ReportStatus.READY, size=8, **fields)
    report.file.save("report.pdf", ContentFile(b"%PDF-1.7"), save=True)
    return report


@pytest.fixture
def made(district):
    d = district
    return {
        "municipal": ready(kind=ReportKind.MUNICIPAL, municipality=d.municipality),
        "preschool": ready(
            kind=ReportKind.KIND,
            municipality=d.municipality,
            organization_kind=OrganizationKind.PRESCHOOL,
        ),
        "general": ready(
            kind=ReportKind.KIND,
            municipality=d.municipality,
            organization_kind=OrganizationKind.GENERAL,
        ),
        "school_a": ready(
            kind=ReportKind.ORGANIZATION, municipality=d.municipality, organization=d.school_a
        ),
        "school_b": ready(
            kind=ReportKind.ORGANIZATION, municipality=d.municipality, organization=d.school_b
        ),
        "kindergarten": ready(
            kind=ReportKind.ORGANIZATION,
            municipality=d.municipality,
            organization=d.kindergarten,
        ),
        "foreign": ready(kind=ReportKind.MUNICIPAL, municipality=d.other_municipality),
    }


DOWNLOADS = {
    "coordinator": {"municipal", "preschool", "general", "school_a", "school_b", "kindergarten"},
    "kindergarten_specialist": {"municipal", "preschool", "kindergarten"},
    "school_specialist": {"municipal", "general", "school_a", "school_b"},
    "curator_a": {"school_a"},
    "head_a": {"school_a"},
    "curator_b": {"school_b"},
    "foreign_coordinator": {"foreign"},
    "mentor_a": set(),
}


@pytest.mark.parametrize("persona", DOWNLOADS)
def test_each_role_downloads_exactly_the_reports_it_covers_and_gets_404_for_the_rest(
    persona, district, made, client_for
):
    client = client_for(getattr(district, persona))
    for name, report in made.items():
        response = client.get(reverse("reports:download", args=[report.pk]))
        expected = 200 if name in DOWNLOADS[persona] else 404
        assert response.status_code == expected, (persona, name)
        if expected == 200:
            assert response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_list_shows_only_the_reports_in_scope(district, made, client_for):
    page = client_for(district.curator_a).get(reverse("reports:list")).content.decode()
    assert f'id="report-{made["school_a"].pk}"' in page
    for name in ("municipal", "school_b", "preschool", "foreign"):
        assert f'id="report-{made[name].pk}"' not in page


def test_a_report_not_yet_ready_cannot_be_downloaded(district, client_for):
    report = Report.objects.create(
        kind=ReportKind.MUNICIPAL, municipality=district.municipality, academic_year=YEAR
    )
    response = client_for(district.coordinator).get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 404


def test_mentor_has_no_reports_page(district, client_for):
    client = client_for(district.mentor_a)
    assert client.get(reverse("reports:list")).status_code == 403
    assert client.post(reverse("reports:order"), {"kind": "municipal"}).status_code == 403


# Ordering through the service --------------------------------------------------------------


def order(user, kind, **kwargs):
    return reports.report_order(user=user, kind=kind, year=YEAR, **kwargs)


def test_curator_orders_their_organization_report_only(district):
    d = district
    assert order(d.curator_a, ReportKind.ORGANIZATION, organization=d.school_a).pk
    with pytest.raises(PermissionDenied):
        order(d.curator_a, ReportKind.ORGANIZATION, organization=d.school_b)
    with pytest.raises(PermissionDenied):
        order(d.curator_a, ReportKind.MUNICIPAL, municipality=d.municipality)
    with pytest.raises(PermissionDenied):
        order(d.curator_a, ReportKind.KIND, organization_kind=OrganizationKind.GENERAL)
    assert Report.objects.count() == 1


def test_specialist_orders_only_reports_of_their_kind(district):
    d = district
    specialist = d.kindergarten_specialist
    assert order(specialist, ReportKind.KIND, organization_kind=OrganizationKind.PRESCHOOL)
    assert order(specialist, ReportKind.ORGANIZATION, organization=d.kindergarten)
    with pytest.raises(PermissionDenied):
        order(specialist, ReportKind.KIND, organization_kind=OrganizationKind.GENERAL)
    with pytest.raises(PermissionDenied):
        order(specialist, ReportKind.ORGANIZATION, organization=d.school_a)
    with pytest.raises(PermissionDenied):
        order(specialist, ReportKind.MUNICIPAL)
    # And the other way round: the school specialist is refused the kindergarten.
    with pytest.raises(PermissionDenied):
        order(d.school_specialist, ReportKind.ORGANIZATION, organization=d.kindergarten)
    assert Report.objects.count() == 2


def test_coordinator_orders_any_report_of_their_municipality_and_none_of_another(district):
    d = district
    assert order(d.coordinator, ReportKind.MUNICIPAL).municipality == d.municipality
    assert order(d.coordinator, ReportKind.KIND, organization_kind=OrganizationKind.GENERAL)
    assert order(d.coordinator, ReportKind.ORGANIZATION, organization=d.kindergarten)
    with pytest.raises(PermissionDenied):
        order(d.coordinator, ReportKind.MUNICIPAL, municipality=d.other_municipality)
    with pytest.raises(PermissionDenied):
        order(d.foreign_coordinator, ReportKind.ORGANIZATION, organization=d.school_a)


# Ordering through the form -----------------------------------------------------------------


def test_curator_posting_another_organization_gets_an_error_and_nothing_is_ordered(
    district, client_for
):
    client = client_for(district.curator_a)
    response = client.post(
        reverse("reports:order"),
        {"kind": "organization", "year": YEAR, "organization": district.school_b.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    response = client.post(reverse("reports:order"), {"kind": "municipal", "year": YEAR})
    assert response.context["form"].errors["kind"]
    assert not Report.objects.exists()


def test_curator_orders_their_organization_report_through_the_form(district, client_for):
    client = client_for(district.curator_a)
    form = client.get(reverse("reports:list")).context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == ["organization"]
    assert list(form.fields["organization"].queryset) == [district.school_a]
    response = client.post(
        reverse("reports:order"),
        {"kind": "organization", "year": YEAR, "organization": district.school_a.pk},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.organization, report.requested_by) == (district.school_a, district.curator_a)


def test_specialist_form_offers_only_their_kind(district, client_for):
    form = client_for(district.kindergarten_specialist).get(reverse("reports:list")).context["form"]
    assert [value for value, _label in form.fields["organization_kind"].choices] == [
        "",
        "preschool",
    ]
    assert set(form.fields["organization"].queryset) == {
        district.kindergarten,
        district.kindergarten_b,
    }
    assert "municipal" not in dict(form.fields["kind"].choices)
