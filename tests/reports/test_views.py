"""The list polls itself with htmx while a report is queued or building, and stops when none
is; earlier versions stay listed."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import Report, ReportKind, ReportStatus
from tests.reports.conftest import YEAR


def municipal(district, status) -> Report:
    return Report.objects.create(
        kind=ReportKind.MUNICIPAL,
        municipality=district.municipality,
        academic_year=YEAR,
        status=status,
    )


def test_list_polls_while_a_report_is_being_built_and_stops_when_none_is(district, client_for):
    client = client_for(district.coordinator)
    building = municipal(district, ReportStatus.BUILDING)
    page = client.get(reverse("reports:list")).content.decode()
    assert 'data-hx-trigger="every 3s"' in page
    partial = client.get(reverse("reports:list"), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="report-table"')
    assert "<nav" not in partial.content.decode()

    Report.objects.filter(pk=building.pk).update(status=ReportStatus.READY)
    partial = client.get(reverse("reports:list"), headers={"HX-Request": "true"}).content.decode()
    assert "data-hx-trigger" not in partial
    assert 'data-status="ready"' in partial


def test_earlier_versions_are_kept_and_marked(district, client_for):
    first = municipal(district, ReportStatus.READY)
    second = municipal(district, ReportStatus.READY)
    reports = {
        report.pk: report
        for report in client_for(district.coordinator)
        .get(reverse("reports:list"))
        .context["reports"]
    }
    assert (reports[first.pk].version, reports[first.pk].is_current) == (1, False)
    assert (reports[second.pk].version, reports[second.pk].is_current) == (2, True)


def test_failed_report_shows_its_reason(district, client_for):
    Report.objects.create(
        kind=ReportKind.MUNICIPAL,
        municipality=district.municipality,
        academic_year=YEAR,
        status=ReportStatus.FAILED,
        failure_reason="ValueError: chart data missing",
    )
    page = client_for(district.coordinator).get(reverse("reports:list")).content.decode()
    assert "ValueError: chart data missing" in page


def test_ordering_in_demo_mode_builds_at_once(
    district, client_for, django_capture_on_commit_callbacks
):
    client = client_for(district.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:order"), {"kind": "municipal", "year": YEAR})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == ReportStatus.READY and report.requested_by == district.coordinator
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_list_costs_the_same_queries_for_few_and_many_reports(district, client_for):
    client = client_for(district.coordinator)
    for _n in range(2):
        municipal(district, ReportStatus.READY)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:list"))
    for _n in range(20):
        Report.objects.create(
            kind=ReportKind.ORGANIZATION,
            municipality=district.municipality,
            organization=district.school_a,
            academic_year=YEAR,
            requested_by=district.curator_a,
            status=ReportStatus.READY,  # one build of a scope at a time: earlier versions
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("reports:list"))
    assert len(many) == len(few)
