"""The dashboard links a year to «Показатели как в отчёте от дд.мм.гггг» — the numbers an
issued report printed — when a report of the same scope and year was issued, and only then."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import academic_year_of
from monitoring.models import previous_year
from reports.models import Report, ReportKind, ReportStatus

pytestmark = pytest.mark.django_db


def issued(status=ReportStatus.READY, **fields) -> Report:
    finished = timezone.make_aware(datetime.datetime(2026, 10, 5, 12, 0))
    return Report.objects.create(
        status=status,
        finished_at=finished if status == ReportStatus.READY else None,
        values={"indicators": {"needing": 3}, "as_of": "2026-10-05"},
        **fields,
    )


def test_the_coordinators_dashboard_links_the_year_to_the_issued_municipal_report(
    district, client_for
):
    year = academic_year_of(timezone.localdate())
    report = issued(kind=ReportKind.MUNICIPAL, municipality=district.municipality,
                    academic_year=year)  # fmt: skip
    issued(status=ReportStatus.FAILED, kind=ReportKind.MUNICIPAL,
           municipality=district.municipality, academic_year=year)  # fmt: skip
    client = client_for(district.coordinator)
    html = client.get(reverse("monitoring:dashboard"), {"year": year}).content.decode()
    assert "Показатели как в отчёте от 05.10.2026" in html
    assert reverse("reports:values", args=[report.pk]) in html
    assert client.get(reverse("reports:values", args=[report.pk])).status_code == 200
    before = client.get(reverse("monitoring:dashboard"), {"year": previous_year(year)})
    assert "Показатели как в отчёте" not in before.content.decode()


def test_no_link_without_an_issued_report_of_the_same_scope(district, client_for):
    year = academic_year_of(timezone.localdate())
    issued(status=ReportStatus.QUEUED, kind=ReportKind.MUNICIPAL,
           municipality=district.municipality, academic_year=year)  # fmt: skip
    issued(kind=ReportKind.MUNICIPAL, municipality=district.other_municipality,
           academic_year=year)  # fmt: skip
    html = (
        client_for(district.coordinator)
        .get(reverse("monitoring:dashboard"), {"year": year})
        .content.decode()
    )
    assert "Показатели как в отчёте" not in html


def test_an_organizations_dashboard_links_its_own_report_not_the_municipal_one(
    district, client_for
):
    year = academic_year_of(timezone.localdate())
    issued(kind=ReportKind.MUNICIPAL, municipality=district.municipality, academic_year=year)
    own = issued(kind=ReportKind.ORGANIZATION, municipality=district.municipality,
                 organization=district.school_a, academic_year=year)  # fmt: skip
    url = reverse("monitoring:organization_dashboard", args=[district.school_a.pk])
    html = client_for(district.curator_a).get(url, {"year": year}).content.decode()
    assert reverse("reports:values", args=[own.pk]) in html
    other = reverse("monitoring:organization_dashboard", args=[district.school_b.pk])
    html_b = client_for(district.coordinator).get(other, {"year": year}).content.decode()
    assert "Показатели как в отчёте" not in html_b
