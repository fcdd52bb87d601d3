"""The annual report's PDF holds the committee, the year, every organization of its scope and
the indicators' numbers (counted by hand in tests/monitoring/conftest.py)."""

from __future__ import annotations

import re

import pytest
import time_machine

from reports import services as reports
from reports.models import ReportKind, ReportStatus
from tests.reports.conftest import COMMITTEE, PREVIOUS, TODAY, YEAR, pdf_text


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def order_and_build(capture, **kwargs):
    with capture(execute=True):
        report = reports.report_order(user=None, year=YEAR, **kwargs)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.failure_reason
    return report, pdf_text(report.file.read())


def test_municipal_report_names_the_committee_the_year_every_organization_and_the_numbers(
    committee, frozen, django_capture_on_commit_callbacks
):
    report, text = order_and_build(
        django_capture_on_commit_callbacks, kind=ReportKind.MUNICIPAL, municipality=committee
    )
    assert report.file.name.startswith("reports/") and report.file.name.endswith(".pdf")
    assert report.size == report.file.size > 0
    assert COMMITTEE in text
    assert YEAR in text and PREVIOUS in text
    for name in committee.organizations.values_list("short_name", flat=True):
        assert name in text
    # Coverage of school A: 3 on the needs list, 2 with a mentor, 66,7 %.
    assert re.search(r"Барановская СОШ \S+ 3 2 66,7 ", text)
    # Pairs of school A: 1 pair, 1 group, 1 inter-organization, 6 meetings.
    assert "Барановская СОШ 1 1 1 6" in text


def test_organization_report_lists_its_pairs_by_name_and_no_other_organization(
    committee, dataset, frozen, django_capture_on_commit_callbacks
):
    district = dataset.district
    _report, text = order_and_build(
        django_capture_on_commit_callbacks,
        kind=ReportKind.ORGANIZATION,
        organization=district.school_a,
    )
    assert district.school_a.full_name in text
    assert district.mentor_a.person.full_name in text
    for teacher in (district.mentee_a.person, district.teacher_a.person, district.teacher_b.person):
        assert teacher.full_name in text
    assert "Детский сад «Сказка»" not in text
    assert "Таловская СОШ" not in text


def test_kind_report_covers_only_the_organizations_of_its_kind(
    committee, dataset, frozen, django_capture_on_commit_callbacks
):
    _report, text = order_and_build(
        django_capture_on_commit_callbacks,
        kind=ReportKind.KIND,
        municipality=committee,
        organization_kind="preschool",
    )
    assert "Детский сад «Сказка»" in text and "Детский сад «Ромашка»" in text
    assert "Барановская СОШ" not in text
