"""An issued report keeps the numbers it printed: later edits to the data change neither its
PDF nor its stored indicators; building it again makes version 2 with a reason, and version 1
stays downloadable."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from mentoring.models import Meeting
from monitoring import registry
from reports import services as reports
from reports.models import Report, ReportKind, ReportStatus
from reports.views import _reports_for
from tests.monitoring.conftest import at
from tests.reports.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def travel():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_data_changed_after_issue_leaves_the_issued_report_as_it_was_and_a_rebuild_is_version_2(
    committee, dataset, travel, client_for, django_capture_on_commit_callbacks
):
    district = dataset.district
    with django_capture_on_commit_callbacks(execute=True):
        first = reports.report_order(
            user=district.coordinator, kind=ReportKind.MUNICIPAL, year=YEAR
        )
    first.refresh_from_db()
    assert first.status == ReportStatus.READY
    pdf_before = first.file.read()
    first.file.close()
    assert first.values["indicators"]["meetings"] == 6
    assert first.definitions_version == registry.definitions_version()
    assert first.docx

    Meeting.objects.create(pair=dataset.p1, held_at=at("09.11.2026"), topic="Ещё встреча")
    reports.report_build(first.pk)  # a ready report is never built again

    first.refresh_from_db()
    with first.file.open("rb") as handle:
        assert handle.read() == pdf_before
    assert first.values["indicators"]["meetings"] == 6

    client = client_for(district.coordinator)
    page = client.get(reverse("reports:values", args=[first.pk]))
    assert page.status_code == 200
    row = next(r for r in page.context["rows"] if r[0].code == "meetings")
    assert (row[1], row[2]) == (6, 7)  # as reported, now

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:rebuild", args=[first.pk]), {"reason": "добавлена встреча"}
        )
    assert response.status_code == 302
    second = Report.objects.exclude(pk=first.pk).get()
    assert second.reason == "добавлена встреча"
    assert second.values["indicators"]["meetings"] == 7
    versions = {report.pk: report.version for report in _reports_for(district.coordinator)}
    assert (versions[first.pk], versions[second.pk]) == (1, 2)
    old = client.get(reverse("reports:download", args=[first.pk]))
    assert b"".join(old.streaming_content) == pdf_before


def test_a_rebuild_without_a_reason_is_refused(committee, dataset, travel, client_for):
    district = dataset.district
    report = Report.objects.create(
        kind=ReportKind.MUNICIPAL,
        municipality=district.municipality,
        academic_year=YEAR,
        status=ReportStatus.READY,
    )
    client = client_for(district.coordinator)
    client.post(reverse("reports:rebuild", args=[report.pk]), {"reason": " "})
    assert Report.objects.count() == 1
