"""Reports moved from monitoring to their own app without losing a row.

A database migrated by the old code (monitoring 0005: reports and reminder letters in
monitoring) holds a report and a letter; migrating forward keeps both, readable through the
reports app, and the change log's content types follow them.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OLD = [("reports", None), ("monitoring", "0005_reminder_letter"), ("orgs", "0002_load_positions")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1]]).apps


def test_reports_and_letters_made_by_the_old_code_survive_the_move():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old_apps = _migrate(OLD)
    Municipality = old_apps.get_model("orgs", "Municipality")
    User = old_apps.get_model("orgs", "User")
    OldReport = old_apps.get_model("monitoring", "Report")
    OldLetter = old_apps.get_model("monitoring", "ReminderLetter")
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    ContentType.objects.get_or_create(app_label="monitoring", model="report")
    municipality = Municipality.objects.create(name="Змеиногорский район")
    user = User.objects.create(username="coordinator")
    old_report = OldReport.objects.create(
        municipality=municipality, kind="municipal", academic_year="2025/2026", status="ready"
    )
    OldLetter.objects.create(
        user=user, week=datetime.date(2026, 11, 9), sent_at=timezone.now(), items=3
    )

    new_apps = _migrate(latest)

    Report = new_apps.get_model("reports", "Report")
    Letter = new_apps.get_model("reports", "ReminderLetter")
    report = Report.objects.get(pk=old_report.pk)
    assert (report.municipality.name, report.academic_year, report.status) == (
        "Змеиногорский район",
        "2025/2026",
        "ready",
    )
    assert Letter.objects.get().items == 3
    ContentType = new_apps.get_model("contenttypes", "ContentType")
    assert ContentType.objects.filter(app_label="reports", model="report").exists()
    assert not ContentType.objects.filter(app_label="monitoring", model="report").exists()
