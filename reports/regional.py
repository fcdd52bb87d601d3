"""The regional annual report: a summary of the region with one row per municipality, the
municipalities needing attention, and one annex per municipality.

Built as a Celery workflow (`tasks.build_regional_annex` × N → `tasks.finish_regional`, a
chord): each annex is a small PDF of its own, stored as a `RegionalAnnex` row as soon as it is
built, so the parts built so far are the progress («собрано 37 из 60 муниципалитетов») and a
build started again after a lost worker (the sweep of `services.reports_requeue_stuck`, fed by
the heartbeat every part renews) builds only the missing ones. The summary is the first part
sent (the longest); the last task joins the PDFs with pypdf and stores the report through
`services.report_store`: frozen numbers, the definitions' version, a new row for every rebuild
— the municipal report's rules.

Every number is read from the per-organization facts the dashboards show (`monitoring.facts`):
the summary's rows are the regional dashboard's rows, an annex is its municipality's dashboard
(a few queries and one page each), and the report says how fresh those facts are («Данные на
…», the dashboards' words) and keeps that moment with its numbers.
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
from monitoring import facts, registry, tables
from monitoring import indicators as ind
from monitoring import region as regional
from orgs.models import Municipality, Region, user_scope
from reports import services
from reports.models import RegionalAnnex, Report, ReportKind, ReportStatus

logger = logging.getLogger(__name__)

SUMMARY_TEMPLATE = "reports/pdf/region.html"
ANNEX_TEMPLATE = "reports/pdf/region_annex.html"
ANNEX_ATTENTION_NAMES = 5  # an annex names at most this many organizations needing attention
ATTENTION_SHOWN = 10  # the summary lists this many municipalities furthest behind
# The registry indicators the summary's table prints: its columns and the incentives.
DEFINED = (*regional.ROW_INDICATORS, "nominations", "nominations_awarded", "paid_mentors")


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


ANNEX_GROUPS = ("coverage", "pairs", "programs")  # what an organization's row is read from
# The dashboard's main indicators and the incentives, as the registry names and counts them.
ANNEX_INDICATORS = (
    *tables.MAIN_INDICATORS,
    "events",
    "event_places",
    "nominations",
    "nominations_awarded",
    "paid_mentors",
)


def annex_context(report: Report, municipality: Municipality, number: int, today) -> dict:
    """One municipality's annex, from the facts the municipality's dashboard shows (so its
    numbers are the dashboard's and the registry's): the summary of the year against the
    previous one, the organizations' own facts summed by kind, the deadlines and the
    incentives — in a handful of queries, whatever the municipality's size."""
    scope = ind.Scope(municipality_id=municipality.pk)
    year = report.academic_year
    data = facts.scope_data(scope, year, today)
    summary = data.summary
    organizations = list(ind.compliance_queryset(scope, year).annotate(**facts.state_annotations()))
    compliance = ind.compliance(scope, year, today, organizations=organizations)
    rows = organization_rows(compliance, facts.organization_sums(scope, year, ANNEX_GROUPS))
    attention = [row for row in rows if row.attention]
    indicators = tables.registry_table(
        "indicators", gettext("Indicators"), ANNEX_INDICATORS, summary, tables.Links({})
    )
    half = (len(indicators.rows) + 1) // 2  # two tables side by side: the annex fits a page
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
        "indicators": indicators,
        "indicator_halves": (indicators.rows[:half], indicators.rows[half:]),
        "kinds": services.kind_rows(rows),
        "organizations": len(rows),
        "deadlines": _late_by_deadline(ind.compliance_totals(compliance)),
        "late_organizations": sum(1 for row in compliance if row.late_count),
        "attention_count": len(attention),
        "attention": attention[:ANNEX_ATTENTION_NAMES],
        "freshness": facts.freshness_of(organizations),
        "values": registry.values(summary),
    }


def organization_rows(
    compliance: list[ind.ComplianceRow], sums: dict[int, dict]
) -> list[services.OrganizationRow]:
    """The municipal report's organization rows (`services.organization_rows`) read from each
    organization's facts instead of counted from the records: the parts an annex prints
    (needs, pairs, programs, overdue activities, deadlines missed). An organization's facts
    are its own counts (`facts.components` of its groups), read as they are stored."""
    kinds = dict(ind.DeadlineKind.choices)
    rows = []
    for compliance_row in compliance:
        org = compliance_row.organization
        own = sums.get(org.pk, {})
        count = {code: round(value) for (code, dimension), value in own.items() if not dimension}
        rows.append(
            services.OrganizationRow(
                pk=org.pk,
                name=org.short_name,
                kind=org.kind,
                needing=count.get("coverage.needing", 0),
                covered=count.get("coverage.covered", 0),
                pairs=count.get("pairs.pairs", 0),
                groups=count.get("pairs.groups", 0),
                inter=count.get("pairs.inter_organization", 0),
                programs=count.get("programs.running", 0),
                due=count.get("programs.due", 0),
                due_completed=count.get("programs.due_completed", 0),
                completed=count.get("programs.completed", 0),
                drafts=count.get("programs.drafts", 0),
                overdue=count.get("programs.overdue_activities", 0),
                late=[str(kinds[check.kind]) for check in compliance_row.checks if check.is_late],
            )
        )
    return rows


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
    # The region's own numbers from the same facts (the exact counts for the whole region:
    # a teacher or a paid mentor of two municipalities is one person of the region).
    summary = facts.scope_data(scope, year, today).summary
    totals = regional.totals(rows)
    region_values = [registry.get(code).of(summary) for code in regional.ROW_INDICATORS] + [
        f"{totals['late_organizations']} / {totals['organizations']}",
        f"{registry.get('nominations').of(summary)} "
        f"({registry.get('nominations_awarded').of(summary)})",
        registry.get("paid_mentors").of(summary),
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
        "freshness": regional.freshness(rows),
        "columns": regional.columns(),
        "extra_columns": regional.EXTRA_COLUMNS,
        "totals": totals,
        "attention": regional.furthest_behind(rows, ATTENTION_SHOWN),
        "attention_count": sum(1 for row in rows if row.needs_attention),
        "thresholds": regional.thresholds_text(),
        "approver": {"position": region.head_position, "name": region.head_name},
        "signer": {"position": region.coordinator_position, "name": region.coordinator_name},
        "definitions": [
            (indicator, tables.Cell(indicator.of(summary)).display)
            for indicator in registry.INDICATORS
            if indicator.code in DEFINED
        ],
        "definitions_version": registry.definitions_version(),
    }


def _moment(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


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
        "facts_as_of": _moment(context["freshness"].oldest),
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
    municipalities = municipalities_of(report)
    built = set(report.annexes.values_list("municipality_id", flat=True))
    if None not in built:
        summary_build(report_id)
    for municipality in municipalities:
        if municipality.pk not in built:
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


def warm_up() -> None:
    """Load the PDF renderer, the documents' fonts and their templates once, as a worker
    process starts, not inside the first part it builds (about a second of each process)."""
    with translation.override(settings.LANGUAGE_CODE):
        html = services.render_html({}, template="pdf/base.html")
    html_to_pdf(html.replace("<body>", "<body><p>Приложение <b>1</b> <i>к отчёту</i></p>", 1))


def failure_note() -> str:
    return gettext("The regional report could not be built.")
