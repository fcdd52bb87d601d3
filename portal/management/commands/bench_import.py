"""`manage.py bench_import --rows 2000`: time a staff import from upload to confirmation.

Builds a throw-away organization and a staff list of N rows (a tenth of them already on the
staff, half of those with a changed field), then goes through the pages a curator uses:
upload → preview, confirm → result. Prints seconds and queries per step and the process's
peak memory. Everything it writes is rolled back at the end.
"""

from __future__ import annotations

import datetime
import io
import resource
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from openpyxl import Workbook

from core.text import normalize
from orgs.models import (
    Employment,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Role,
    RoleAssignment,
    User,
)


class _Rollback(Exception):
    pass


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Time a staff import of N rows: upload → preview and confirmation; peak memory."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=2000)

    def handle(self, *args, rows: int, **options):
        setup_test_environment()
        try:
            with transaction.atomic():
                self._run(rows)
                raise _Rollback
        except _Rollback:
            pass

    def _run(self, count: int) -> None:
        position = Position.objects.get(code="uchitel")
        municipality = Municipality.objects.create(name="Бенчмарк-район")
        organization = Organization.objects.create(
            municipality=municipality,
            full_name="МБОУ «Бенчмарк СОШ»",
            kind=OrganizationKind.GENERAL,
            short_name="Бенчмарк СОШ",
        )
        user = User.objects.create(username="bench_import_curator")
        RoleAssignment.objects.create(
            user=user, role=Role.CURATOR, organization=organization, municipality=municipality
        )
        known = count // 10
        people = Person.objects.bulk_create(
            Person(
                last_name=f"Известная{n}",
                first_name="Анна",
                search_key=normalize(f"Известная{n} Анна"),
            )
            for n in range(known)
        )
        Employment.objects.bulk_create(
            Employment(
                person=person,
                organization=organization,
                position=position,
                hired_on=datetime.date(2015, 9, 1),
                subjects="химия",
            )
            for person in people
        )
        content = self._file(count, known)
        self.stdout.write(f"rows: {count}; file: {len(content) / 1024:.0f} KB")
        client = Client()
        client.force_login(user)
        url = f"/organizations/{organization.pk}/staff/import/"
        baseline = _peak_mb()

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            preview = client.post(
                url, {"file": SimpleUploadedFile("staff.xlsx", content)}, follow=True
            )
            upload_seconds = time.perf_counter() - started
        result = preview.context["result"]
        assert result.is_valid, result.error_rows[:3]
        self.stdout.write(
            f"upload → preview: {upload_seconds:.2f} s, {len(queries)} queries, "
            f"status {preview.status_code}; new {len(result.new_people)}, "
            f"changed {len(result.changed)}, unchanged {len(result.unchanged)}"
        )

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            done = client.post(
                url, {"token": preview.context["token"], "confirm": "1"}, follow=True
            )
            confirm_seconds = time.perf_counter() - started
        self.stdout.write(
            f"confirm → result: {confirm_seconds:.2f} s, {len(queries)} queries, "
            f"status {done.status_code}; outcome {done.context['done'].outcome}"
        )
        self.stdout.write(
            f"peak memory of the process: {_peak_mb():.0f} MB (before the upload {baseline:.0f} MB)"
        )

    def _file(self, count: int, known: int) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Сотрудники")
        sheet.append(["Список педагогических работников на 01.09.2026"])
        sheet.append(["ФИО", None, "Должность", "Дата приёма", "Предметы", "Общий стаж"])
        sheet.append(["Фамилия", "Имя"])
        for n in range(count):
            if n < known:
                subjects = "биология" if n % 2 else "химия"
                sheet.append([f"Известная{n}", "Анна", "учитель", 42248, subjects, None])
            else:
                sheet.append([f"Новая{n}", "Ирина", "учитель", "1 сентября 2015", "математика", 10])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
