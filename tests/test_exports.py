"""Exports are data, never formulas: every Excel export with formula-looking text in it.

Each text field of the records behind the exports is set to text that starts like a formula
(`=`, `+`, `-`, `@`, tab, carriage return; the meeting topic of issue 12 among them). Every
export must then hold that text as a plain string cell and no formula at all.
"""

from __future__ import annotations

import io
import itertools
import zipfile

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from core.excel import FORMULA_STARTS
from orgs.models import Person
from tests.factories import pass_second_factor
from tests.world import build_world

PAYLOADS = (
    '=HYPERLINK("http://evil","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
)
SKIPPED_FIELDS = {"search_key", "sort_key", "academic_year", "period", "code", "username"}
SKIPPED_FIELDS |= {"password", "token", "link", "url", "website", "email", "file_name"}
APPS = ("orgs", "mentoring", "programs", "monitoring")

EXPORTS = {
    "organizations": lambda w: reverse("orgs:organization_list"),
    "staff of a school": lambda w: reverse("orgs:staff_list", args=[w.district.school_a.pk]),
    "district staff": lambda w: reverse("orgs:district_staff"),
    "change log": lambda w: reverse("orgs:audit_log"),
    "bank of mentors": lambda w: reverse("mentoring:mentor_list"),
    "needs lists": lambda w: reverse("mentoring:need_list"),
    "pairs": lambda w: reverse("mentoring:pair_list"),
    "meetings": lambda w: reverse("mentoring:meeting_list"),
    "programs": lambda w: reverse("programs:program_list"),
    "routes": lambda w: reverse("programs:route_list"),
    "bank of practices": lambda w: reverse("programs:bank"),
    "local acts": lambda w: reverse("monitoring:act_list"),
    "dashboard table": lambda w: reverse("monitoring:dashboard") + "?table=compliance",
    "drill-down: pairs": lambda w: reverse("monitoring:drill", args=["pairs"]),
    "drill-down: meetings": lambda w: reverse("monitoring:drill", args=["meetings"]),
    "drill-down: needs": lambda w: reverse("monitoring:drill", args=["needing"]),
    "program monitoring": lambda w: reverse("monitoring:program", args=[w.program.pk]),
}

# Exports of numbers and fixed labels only: no text a user typed can reach them.
NO_FREE_TEXT = {"program monitoring"}


def poison_every_text_field() -> None:
    """Formula-looking text in every free-text field of the records behind the exports."""
    payloads = itertools.cycle(PAYLOADS)
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            fields = [
                field
                for field in model._meta.concrete_fields
                if isinstance(field, models.CharField | models.TextField)
                and not field.choices
                and field.name not in SKIPPED_FIELDS
            ]
            for pk in model.objects.values_list("pk", flat=True):
                updates = {}
                for field in fields:
                    # The row's id at the end keeps values apart under unique constraints.
                    suffix = f" {pk}"
                    room = (field.max_length or 200) - len(suffix)
                    updates[field.name] = next(payloads)[:room] + suffix
                if updates:
                    model.objects.filter(pk=pk).update(**updates)
    # Through save() too, so the change log records the hostile name.
    for person in Person.objects.all():
        person.last_name = PAYLOADS[0]
        person.save()


@pytest.fixture
def poisoned(district):
    world = build_world(district)
    poison_every_text_field()
    return world


def cells(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("name", EXPORTS)
def test_each_export_writes_formula_looking_text_as_plain_text(name, poisoned, client):
    client.force_login(poisoned.district.coordinator)
    pass_second_factor(client, poisoned.district.coordinator)
    url = EXPORTS[name](poisoned)
    response = client.get(f"{url}{'&' if '?' in url else '?'}export=xlsx")
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        xml = b"".join(archive.read(n) for n in sheets)
    assert b"<f>" not in xml and b"<f " not in xml, "a formula cell in the export"
    hostile = [
        cell
        for cell in cells(content)
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
    ]
    if name in NO_FREE_TEXT:
        assert not hostile
        return
    assert hostile, "the formula-looking text did not reach the export"
    assert all(cell.data_type == "s" for cell in hostile)
