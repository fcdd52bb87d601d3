"""The regional annual report: a summary of the region with one row per municipality, the
municipalities needing attention, and one annex per municipality.

Built as a Celery workflow (`tasks.build_regional_annex` × N → `tasks.finish_regional`, a
chord): each annex is a small PDF of its own, stored as a `RegionalAnnex` row as soon as it is
built, so the parts built so far are the progress («собрано 37 из 60 муниципалитетов») and a
build started again after a lost worker (the sweep of `services.reports_requeue_stuck`, fed by
the heartbeat every part renews) builds only the missing ones. The last task builds the
summary, joins the PDFs with pypdf and stores the report through `services.report_store`:
frozen numbers, the definitions' version, a new row for every rebuild — the municipal report's
rules.
"""

from __future__ import annotations

import datetime
import io
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.docx import html_to_docx
from core.pdf import html_to_pdf
from monitoring import indicators as ind
from monitoring import region as regional
from monitoring import registry, tables
from orgs.models import Municipality, Region, user_scope
from reports import services
from reports.models import RegionalAnnex, Report, ReportKind, ReportStatus

logger = logging.getLogger(__name__)

SUMMARY_TEMPLATE = "reports/pdf/region.html"
ANNEX_TEMPLATE = "reports/pdf/region_annex.html"
ANNEX_ATTENTION_NAMES = 5
ATTENTION_SHOWN = 10  # the summary lists this many municipalities furthest behind  # an annex names at most this many organizations needing attention


# Who orders it ---------------------------------------------------------------------------------


def can_order(user, region: Region) -> bool:
    """Only the region's coordinator and the administrator order the regional report."""
    scope = user_scope(user)
    return scope.is_superuser or region.pk in scope.regions


def regions_for(user):
    scope = user_scope(user)
    if scope.is_superuser:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scope.regions)


def regional_order(*, user, region: Region, year: str, reason: str = "") -> Report:
    """Save a queued regional report and hand it to the queue after commit; a build already
    queued or running for the region and year is returned instead (`already_ordered`)."""
    if user is not None and not can_order(user, region):
        raise PermissionDenied
    services.check_year(year)
    parts = Municipality.objects.filter(region=region).count()

    def twin():
        return (
            Report.objects.pending()
            .filter(kind=ReportKind.REGIONAL, region=region, academic_year=year)
            .first()
        )

    with transaction.atomic():
        if found := twin():
            found.already_ordered = True
            return found
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    kind=ReportKind.REGIONAL,
                    region=region,
                    academic_year=year,
                    requested_by=user,
                    parts_total=parts,
                    reason=(reason or "").strip()[:500],
                )
        except IntegrityError:
            found = twin()
            if found is None:
                raise
            found.already_ordered = True
            return found
        report.already_ordered = False
        language = translation.get_language() or settings.LANGUAGE_CODE
        time_zone = timezone.get_current_timezone_name()
        transaction.on_commit(
            lambda: services.report_send(report.pk, language=language, time_zone=time_zone)
        )
    return report


def regional_reports(user, region: Region):
    """The region's reports, newest first, each numbered within its year (the version)."""
    return (
        Report.objects.visible_to(user)
        .filter(kind=ReportKind.REGIONAL, region=region)
        .annotate(
            version=Window(
                RowNumber(),
                partition_by=[F("academic_year")],
                order_by=[F("requested_at").asc(), F("pk").asc()],
            ),
            parts_done=Count("annexes", filter=Q(annexes__municipality__isnull=False)),
        )
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")
    )


def progress(report: Report) -> tuple[int, int]:
    """(annexes built, annexes in all) of a regional report."""
    done = getattr(report, "parts_done", None)
    if done is None:
        done = report.annexes.filter(municipality__isnull=False).count()
    return done, report.parts_total


# The workflow --------------------------------------------------------------------------------


def municipalities_of(report: Report) -> list[Municipality]:
    return list(Municipality.objects.filter(region_id=report.region_id).order_by("name"))


def workflow_start(report: Report, *, language: str, time_zone: str) -> None:
    """Send the summary and one annex task per municipality not yet built, in parallel, then
    the joining task (a chord); with nothing left to build, only the joining task. In-process
    when tasks run eagerly."""
    from celery import chord

    from config.celery import app
    from reports.tasks import build_regional_annex, build_regional_summary, finish_regional

    built = set(report.annexes.values_list("municipality_id", flat=True))
    missing = [m.pk for m in municipalities_of(report) if m.pk not in built]
    options = {"language": language, "time_zone": time_zone}
    queue = app.conf.task_default_queue
    finish = finish_regional.si(report.pk, **options).set(queue=queue)
    header = [
        build_regional_annex.si(report.pk, municipality_id, **options).set(queue=queue)
        for municipality_id in missing
    ]
    if None not in built:  # the summary first: the longest part starts at once
        header.insert(0, build_regional_summary.si(report.pk, **options).set(queue=queue))
    if not header:
        finish.apply_async()
        return
    chord(header)(finish)


def annex_context(report: Report, municipality: Municipality, number: int, today) -> dict:
    """One municipality's annex: the municipal report's building blocks (the registry's
    indicators against the previous year, the kinds of organizations, the deadlines, the
    incentives), summarized for the municipality, not listed per organization."""
    scope = ind.Scope(municipality_id=municipality.pk)
    year = report.academic_year
    summary = ind.summary(scope, year, today)
    links = tables.Links({})
    compliance = ind.compliance(scope, year, today)
    rows = services.organization_rows(scope, year, today, compliance)
    attention = [row for row in rows if row.attention]
    from community import queries as community

    organizations = scope.organizations()
    return {
        "report": report,
        "region": report.region,
        "municipality": municipality,
        "committee_name": services.committee_name(municipality),
        "number": number,
        "year": year,
        "today": today,
        "summary": summary,
        "summary_text": services.summary_sentences(summary, {}),
        "indicators": tables.indicators_table(summary, links),
        "stage2": tables.stage2_table(summary, links),
        "kinds": services.kind_rows(rows),
        "organizations": len(rows),
        "deadlines": _late_by_deadline(ind.compliance_totals(compliance)),
        "late_organizations": sum(1 for row in compliance if row.late_count),
        "attention_count": len(attention),
        "attention": attention[:ANNEX_ATTENTION_NAMES],
        "incentives": community.counts(organizations, year),
        "values": registry.values(summary),
    }


def _late_by_deadline(totals: ind.ComplianceTotals) -> list[tuple[str, int, int]]:
    labels = dict(ind.DeadlineKind.choices)
    return [(str(labels[kind]), late, totals.organizations) for kind, late in totals.late.items()]


def annex_build(report_id: int, municipality_id: int) -> bool:
    """Build and keep one annex (once: a part already built is not built again)."""
    report = Report.objects.select_related("region").get(pk=report_id)
    if report.status == ReportStatus.READY:
        return False
    if RegionalAnnex.objects.filter(report_id=report_id, municipality_id=municipality_id).exists():
        return False
    municipalities = municipalities_of(report)
    municipality = next(m for m in municipalities if m.pk == municipality_id)
    number = municipalities.index(municipality) + 1
    today = as_of(report)
    with services.Heartbeat(report_id):
        context = annex_context(report, municipality, number, today)
        pdf = html_to_pdf(services.render_html(context, template=ANNEX_TEMPLATE))
    annex = RegionalAnnex(
        report_id=report_id, municipality_id=municipality_id, values=context["values"]
    )
    annex.file.save(f"region-{report_id}-annex-{municipality_id}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            annex.save()
    except IntegrityError:  # a twin task built it meanwhile
        annex.file.delete(save=False)
        return False
    # A sign of life between parts, too.
    Report.objects.filter(pk=report_id, status=ReportStatus.BUILDING).update(
        heartbeat_at=timezone.now()
    )
    return True


def as_of(report: Report) -> datetime.date:
    """The date the numbers are as of: today, or the end of the report's year once it passed."""
    today = timezone.localdate()
    _start, end = ind.year_bounds(report.academic_year)
    return min(today, end)


def summary_context(report: Report, today: datetime.date) -> dict:
    region = report.region
    year = report.academic_year
    scope = regional.RegionScope(region_id=region.pk)
    rows = regional.municipality_rows(scope, year, today)
    summary = ind.summary(scope, year, today)
    totals = regional.totals(rows)
    region_values = [registry.get(code).of(summary) for code in regional.ROW_INDICATORS] + [
        f"{totals['late_organizations']} / {totals['organizations']}",
        f"{sum(r.nominations for r in rows)} ({sum(r.awarded for r in rows)})",
        sum(row.payments for row in rows),
    ]
    return {
        "report": report,
        "region": region,
        "region_values": region_values,
        "year": year,
        "today": today,
        "title": str(ReportKind.REGIONAL.label),
        "summary": summary,
        "summary_text": services.summary_sentences(summary, {}),
        "indicators": tables.indicators_table(summary, tables.Links({})),
        "rows": rows,
        "columns": regional.columns(),
        "totals": totals,
        "attention": regional.furthest_behind(rows, ATTENTION_SHOWN),
        "attention_count": sum(1 for row in rows if row.needs_attention),
        "thresholds": regional.thresholds_text(),
        "approver": {"position": region.head_position, "name": region.head_name},
        "signer": {"position": region.coordinator_position, "name": region.coordinator_name},
        "definitions": [
            (indicator, tables.Cell(indicator.of(summary)).display)
            for indicator in registry.INDICATORS
            if indicator.code in regional.ROW_INDICATORS
        ],
        "definitions_version": registry.definitions_version(),
    }


def summary_build(report_id: int) -> bool:
    """Build and keep the summary of the region with the numbers it prints (once)."""
    report = Report.objects.select_related("region").get(pk=report_id)
    if report.status == ReportStatus.READY:
        return False
    if RegionalAnnex.objects.filter(report_id=report_id, municipality__isnull=True).exists():
        return False
    today = as_of(report)
    with services.Heartbeat(report_id):
        context = summary_context(report, today)
        html = services.render_html(context, template=SUMMARY_TEMPLATE)
        pdf = html_to_pdf(html)
        docx = html_to_docx(html)
    values = {
        "year": report.academic_year,
        "as_of": today.isoformat(),
        "indicators": registry.values(context["summary"]),
        "municipalities": [row.frozen() for row in context["rows"]],
        "attention": [row.municipality.name for row in context["rows"] if row.needs_attention],
        "thresholds": context["thresholds"],
    }
    part = RegionalAnnex(report_id=report_id, municipality=None, values=values)
    part.file.save(f"region-{report_id}-summary.pdf", ContentFile(pdf), save=False)
    part.docx.save(f"region-{report_id}-summary.docx", ContentFile(docx), save=False)
    try:
        with transaction.atomic():
            part.save()
    except IntegrityError:  # a twin task built it meanwhile
        part.file.delete(save=False)
        part.docx.delete(save=False)
        return False
    return True


def regional_finish(report_id: int) -> Report:
    """Join the summary and every annex (in the order of the municipalities) into one PDF and
    store the report with the numbers the summary printed; a missing part is built here
    first (normally none is)."""
    from pypdf import PdfReader, PdfWriter

    report = Report.objects.select_related("region").get(pk=report_id)
    if report.status == ReportStatus.READY:
        return report
    summary_build(report_id)
    municipalities = municipalities_of(report)
    for municipality in municipalities:
        annex_build(report_id, municipality.pk)
    parts = {part.municipality_id: part for part in report.annexes.all()}
    with services.Heartbeat(report_id):
        writer = PdfWriter()
        for key in [None, *(m.pk for m in municipalities)]:
            with parts[key].file.open("rb") as handle:
                writer.append(PdfReader(io.BytesIO(handle.read())))
        title = f"{ReportKind.REGIONAL.label} · {report.region} · {report.academic_year}"
        writer.add_metadata({"/Title": str(title)})
        output = io.BytesIO()
        writer.write(output)
    summary = parts[None]
    with summary.docx.open("rb") as handle:
        docx = handle.read()
    services.report_store(
        report_id, report.download_name, output.getvalue(), docx=docx, values=summary.values
    )
    return Report.objects.get(pk=report_id)


def failure_note() -> str:
    return gettext("The regional report could not be built.")
