"""The demo district's reports: last year's and this year's municipal reports, ordered once."""

from __future__ import annotations

import datetime
from typing import TextIO

from django.utils import timezone

from mentoring.models import academic_year_of
from orgs.demo import demo_organizations, demo_user
from reports.models import Report, ReportKind
from reports.services import report_order


def _seed_report(organizations, today: datetime.date) -> int:
    """The previous year's municipal report (the demo has a past) and this year's so far, so
    the coordinator's list of reports is not empty.

    They are built after the demo's transaction commits: in-process without Redis, else by
    the worker.
    """
    if not organizations:
        return 0
    municipality = organizations[0].municipality
    ordered = 0
    for year in (academic_year_of(today.replace(year=today.year - 1)), academic_year_of(today)):
        if Report.objects.filter(
            municipality=municipality, kind=ReportKind.MUNICIPAL, academic_year=year
        ).exists():
            continue
        report_order(user=demo_user("coordinator"), kind=ReportKind.MUNICIPAL, year=year)
        ordered += 1
    return ordered


def seed(stdout: TextIO) -> None:
    count = _seed_report(demo_organizations(), timezone.localdate())
    stdout.write(f"reports: created now — {count} annual report(s) ordered.\n")
