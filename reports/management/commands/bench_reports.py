"""`manage.py bench_reports [--municipalities N]`: time an annual report, stage by stage.

Without options: the municipal report of the demo district (the first municipality with
organizations). With `--municipalities N`: one report over the first N municipalities of
`seed_scale` data (region «Модельный край»). Prints the time to gather the data, to render
the HTML and to render the PDF, and the PDF's pages and size; `--output` keeps the PDF.
Nothing is stored in the database.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.pdf import html_to_pdf
from mentoring.models import academic_year_of
from monitoring.indicators import Scope
from orgs.models import Municipality, Organization
from reports import services as reports
from reports.models import ReportKind

SCALE_REGION = "Модельный край"


class Command(BaseCommand):
    help = "Time the data, HTML and PDF of an annual report (demo district or N scale districts)."

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=0)
        parser.add_argument("--year", default="")
        parser.add_argument("--output", default="", help="Write the PDF to this path.")

    def handle(self, *args, municipalities: int, year: str, output: str, **options):
        today = timezone.localdate()
        year = year or academic_year_of(today)
        if municipalities:
            chosen = list(
                Municipality.objects.filter(region__name=SCALE_REGION).order_by("pk")[
                    :municipalities
                ]
            )
            if len(chosen) < municipalities:
                raise CommandError(
                    f"Only {len(chosen)} seed_scale municipalities here: run "
                    f"`manage.py seed_scale --municipalities {municipalities}` first."
                )
            scope = reports.Region(municipality_ids=tuple(m.pk for m in chosen))
            municipality = chosen[0]
            label = f"{municipalities} municipalities of seed_scale"
        else:
            municipality = (
                Municipality.objects.filter(organizations__isnull=False)
                .exclude(region__name=SCALE_REGION)
                .order_by("pk")
                .first()
            )
            if municipality is None:
                raise CommandError("No demo data: run `manage.py seed_demo` first.")
            scope = Scope(municipality_id=municipality.pk)
            label = f"district «{municipality.name}»"
        organizations = scope.organizations().count()
        self.stdout.write(
            f"Report over {label}: {organizations} organizations, year {year}, as of {today:%d.%m.%Y}."
        )
        self.stdout.write(f"Organizations in the database: {Organization.objects.count()}.")

        with (
            translation.override(settings.LANGUAGE_CODE),
            CaptureQueriesContext(connection) as queries,
        ):
            started = time.perf_counter()
            context = reports.gather(
                scope,
                year,
                today,
                municipality=municipality,
                title=str(ReportKind.MUNICIPAL.label),
            )
            data_seconds = time.perf_counter() - started
        started = time.perf_counter()
        html = reports.render_html(context, settings.LANGUAGE_CODE)
        html_seconds = time.perf_counter() - started
        started = time.perf_counter()
        pdf = html_to_pdf(html)
        pdf_seconds = time.perf_counter() - started

        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        self.stdout.write(f"{'data':6} {data_seconds:8.2f} s  ({len(queries)} queries)")
        self.stdout.write(f"{'HTML':6} {html_seconds:8.2f} s  ({len(html) // 1024} KB)")
        self.stdout.write(f"{'PDF':6} {pdf_seconds:8.2f} s  ({pages} pages, {len(pdf) // 1024} KB)")
        self.stdout.write(f"{'total':6} {data_seconds + html_seconds + pdf_seconds:8.2f} s")
        if output:
            Path(output).write_bytes(pdf)
            self.stdout.write(f"PDF written to {output}")
