"""Annual analytic reports: who may order which, the data they show, the PDF.

Every number and chart comes from `monitoring.indicators`, `monitoring.tables` and
`monitoring.charts` — the dashboards' own code. What the dashboards do not need (the same
indicators split by organization and by kind, deficits by area, the accepted best practices,
the organizations needing attention) is built here on top of the indicators' row sets, so the
split adds up to the totals.

The pipeline: `report_order` saves the row and, after commit, enqueues `tasks.build_report`;
the task calls `report_build`, which is idempotent (a ready report is never built again) and
stores the PDF `render` returns.
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop

from community import queries as community_selectors
from core.dates import on_days
from core.docx import html_to_docx
from core.pdf import html_to_pdf
from mentoring.models import PairMentee
from monitoring import charts, registry, tables
from monitoring import indicators as ind
from monitoring.models import DeadlineKind, year_bounds
from orgs import signatories
from orgs.models import Municipality, Organization, OrganizationKind, committee_q, user_scope
from programs.models import DifficultyArea, Product
from reports.models import (
    NarrativeStatus,
    Report,
    ReportKind,
    ReportNarrative,
    ReportStatus,
)

logger = logging.getLogger(__name__)

QUEUE_UNAVAILABLE = gettext_noop(
    "The build queue is unavailable right now. The order is kept «queued» and is sent "
    "automatically as soon as the queue is back; nothing needs to be ordered again."
)
YEAR_PATTERN = re.compile(r"^(\d{4})/(\d{4})$")
TEMPLATE = "reports/pdf/report.html"
ORGANIZATION_TEMPLATE = "reports/pdf/organization.html"


# Who may order what ------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderOptions:
    """What a user may order: report kinds, municipalities for a municipal report,
    (municipality, kind) pairs for a kind report, organizations for an organization's one."""

    kinds: tuple[str, ...]
    municipalities: frozenset[int]
    kind_scopes: frozenset[tuple[int, str]]
    organizations: QuerySet

    @property
    def organization_kinds(self) -> list[str]:
        wanted = {kind for _municipality, kind in self.kind_scopes}
        return [kind for kind in OrganizationKind.values if kind in wanted]


def order_options(user) -> OrderOptions:
    """A coordinator orders any report of their municipality; a specialist the kind report
    and the organizations' reports of their kind; a head or a curator their organization's."""
    scope = user_scope(user)
    all_kinds = OrganizationKind.values
    if scope.is_superuser:
        municipalities = frozenset(Municipality.objects.values_list("pk", flat=True))
        return OrderOptions(
            tuple(ReportKind.values),
            municipalities,
            frozenset((m, k) for m in municipalities for k in all_kinds),
            Organization.objects.all(),
        )
    coordinated = frozenset(scope.coordinated_municipalities)
    kind_scopes = {(m, k) for m in coordinated for k in all_kinds} | set(scope.specialist_kinds)
    committee_orgs = committee_q(scope)
    organizations = Organization.objects.filter(
        committee_orgs | Q(pk__in=scope.managed_organizations)
    )
    kinds = []
    if coordinated:
        kinds.append(ReportKind.MUNICIPAL)
    if scope.managed_organizations or scope.is_committee:
        kinds.append(ReportKind.ORGANIZATION)
    if kind_scopes:
        kinds.append(ReportKind.KIND)
    return OrderOptions(tuple(kinds), coordinated, frozenset(kind_scopes), organizations)


def check_year(year: str) -> str:
    match = YEAR_PATTERN.match(year or "")
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValidationError(gettext("Give the academic year as 2026/2027."), code="academic_year")
    return year


def _check_allowed(user, kind: str, municipality_id: int, organization, organization_kind: str):
    options = order_options(user)
    if kind not in options.kinds:
        raise PermissionDenied
    if kind == ReportKind.MUNICIPAL and municipality_id not in options.municipalities:
        raise PermissionDenied
    if kind == ReportKind.KIND and (municipality_id, organization_kind) not in options.kind_scopes:
        raise PermissionDenied
    if (
        kind == ReportKind.ORGANIZATION
        and not options.organizations.filter(pk=organization.pk).exists()
    ):
        raise PermissionDenied


def default_municipality(user) -> Municipality | None:
    """The municipality a committee member works for (the lowest id when there are several)."""
    scope = user_scope(user)
    ids = sorted(scope.coordinated_municipalities) or sorted(
        municipality for municipality, _kind in scope.specialist_kinds
    )
    if not ids and scope.is_superuser:
        return Municipality.objects.order_by("pk").first()
    return Municipality.objects.filter(pk=ids[0]).first() if ids else None


def _pending_twin(kind, municipality, organization, organization_kind, year) -> Report | None:
    return (
        Report.objects.pending()
        .filter(
            kind=kind,
            municipality=municipality,
            organization=organization,
            organization_kind=organization_kind,
            academic_year=year,
        )
        .first()
    )


@transaction.atomic
def report_order(
    *,
    user,
    kind: str,
    year: str,
    organization: Organization | None = None,
    organization_kind: str | None = None,
    municipality: Municipality | None = None,
    reason: str = "",
) -> Report:
    """Save a queued report and hand it to the queue after commit (a new version beside the
    earlier ones, with the `reason` it is built again). `user=None` is the schedule, which may
    order anything. Raises PermissionDenied outside the user's reach.

    One build per scope and year at a time: while one is queued or building, ordering the
    same report returns that one (`report.already_ordered` is then True)."""
    check_year(year)
    organization_kind = organization_kind or ""
    if kind == ReportKind.ORGANIZATION:
        if organization is None:
            raise ValidationError(gettext("Choose the organization."), code="organization")
        municipality = organization.municipality
        organization_kind = ""
    else:
        organization = None
        if kind == ReportKind.KIND and organization_kind not in OrganizationKind.values:
            raise ValidationError(gettext("Choose the kind of organizations."), code="kind")
        if kind == ReportKind.MUNICIPAL:
            organization_kind = ""
        municipality = municipality or (default_municipality(user) if user else None)
        if municipality is None:
            raise PermissionDenied
    if user is not None:
        _check_allowed(user, kind, municipality.pk, organization, organization_kind)
    scope = (kind, municipality, organization, organization_kind, year)
    if twin := _pending_twin(*scope):
        twin.already_ordered = True
        return twin
    try:
        with transaction.atomic():
            # A simultaneous order of the same report waits here for this one's transaction.
            report = Report.objects.create(
                kind=kind,
                municipality=municipality,
                organization=organization,
                organization_kind=organization_kind,
                academic_year=year,
                requested_by=user,
                reason=(reason or "").strip()[:500],
            )
    except IntegrityError:
        twin = _pending_twin(*scope)
        if twin is None:
            raise
        twin.already_ordered = True
        return twin
    report.already_ordered = False
    language = translation.get_language() or settings.LANGUAGE_CODE
    time_zone = timezone.get_current_timezone_name()
    transaction.on_commit(lambda: report_send(report.pk, language=language, time_zone=time_zone))
    return report


def enqueue_build(report_id: int, *, language: str | None = None, time_zone: str | None = None):
    """Send the build to the queue named in the Celery app's configuration at call time (so a
    test can give its worker a queue of its own); in-process when `task_always_eager`."""
    from config.celery import app
    from reports.tasks import build_report

    kwargs = {
        "language": language or settings.LANGUAGE_CODE,
        "time_zone": time_zone or settings.TIME_ZONE,
    }
    build_report.apply_async(args=[report_id], kwargs=kwargs, queue=app.conf.task_default_queue)


def report_send(
    report_id: int, *, language: str | None = None, time_zone: str | None = None
) -> bool:
    """Hand a queued report to the queue. With the broker unreachable the order stays
    «queued» with an empty `due_at` and a note for the user; the sweep sends it later."""
    sent_at = timezone.now()
    try:
        enqueue_build(report_id, language=language, time_zone=time_zone)
    except Exception as error:  # kombu's OperationalError, a refused connection, a timeout
        logger.warning("Report %s could not be queued: %s", report_id, error)
        Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
            due_at=None, failure_reason=gettext(QUEUE_UNAVAILABLE)
        )
        return False
    Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED, due_at__isnull=True).update(
        due_at=sent_at, failure_reason=""
    )
    return True


def is_waiting_for_queue(report: Report) -> bool:
    return report.status == ReportStatus.QUEUED and report.due_at is None


# The build ------------------------------------------------------------------------------------


def _stale_before(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=settings.REPORTS_STUCK_AFTER_SECONDS)


def report_claim(report_id: int) -> Report | None:
    """Mark the report as building and count the attempt; None when it is ready already or
    another worker is building it (its heartbeat is fresh)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        now = timezone.now()
        if report.status == ReportStatus.READY:
            return None
        alive = report.heartbeat_at or report.started_at
        if report.status == ReportStatus.BUILDING and alive and alive >= _stale_before(now):
            return None
        report.status = ReportStatus.BUILDING
        report.started_at = report.heartbeat_at = now
        report.finished_at = None
        report.attempts += 1
        report.save(
            update_fields=["status", "started_at", "heartbeat_at", "finished_at", "attempts"]
        )
    return report


class Heartbeat(threading.Thread):
    """Renews the building report's `heartbeat_at` every REPORTS_HEARTBEAT_SECONDS while the
    PDF renders; when the worker dies, the heartbeat stops and the sweep requeues the report."""

    def __init__(self, report_id: int):
        super().__init__(name=f"report-{report_id}-heartbeat", daemon=True)
        self.report_id = report_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.REPORTS_HEARTBEAT_SECONDS):
                try:
                    Report.objects.filter(pk=self.report_id, status=ReportStatus.BUILDING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError as error:  # the build itself will fail and retry
                    logger.warning("Heartbeat of report %s: %s", self.report_id, error)
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self) -> Heartbeat:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.join(timeout=5)


def report_store(
    report_id: int,
    filename: str,
    content: bytes,
    *,
    docx: bytes | None = None,
    values: dict | None = None,
) -> bool:
    """Keep the PDF (and its Word copy and printed numbers) unless another build stored one
    first (then this one is dropped). What is stored is never rewritten: a ready report is
    frozen."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status == ReportStatus.READY:
            return False
        report.file.save(filename, ContentFile(content), save=False)
        fields = ["file", "size", "status", "failure_reason", "finished_at"]
        if docx is not None:
            report.docx.save(report.docx_name, ContentFile(docx), save=False)
            fields.append("docx")
        if values is not None:
            report.values = values
            report.definitions_version = registry.definitions_version()
            fields += ["values", "definitions_version"]
        report.size = len(content)
        report.status = ReportStatus.READY
        report.failure_reason = ""
        report.finished_at = timezone.now()
        report.save(update_fields=fields)
    return True


def report_build(report_id: int) -> Report:
    """Build the report's PDF, Word copy and printed numbers unless it is ready already;
    errors go up to the task, which retries or gives up (`report_failed`)."""
    report = report_claim(report_id)
    if report is None:
        return Report.objects.get(pk=report_id)
    if report.kind == ReportKind.REGIONAL:  # built in parts by a workflow (reports/regional.py)
        from reports import regional

        regional.workflow_start(
            report,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            time_zone=timezone.get_current_timezone_name(),
        )
        return Report.objects.get(pk=report_id)
    with Heartbeat(report_id):
        rendered = render(report)
    filename, content = rendered
    report_store(
        report_id,
        filename,
        content,
        docx=getattr(rendered, "docx", None),
        values=getattr(rendered, "values", None),
    )
    return Report.objects.get(pk=report_id)


def report_failed(report_id: int, reason: str, *, final: bool, retry_in: int | None = None) -> None:
    """An attempt failed: back to the queue to be retried in `retry_in` seconds (the reason
    and the time of the next attempt are kept for the user), or failed for good."""
    now = timezone.now()
    if final:
        Report.objects.filter(pk=report_id).exclude(status=ReportStatus.READY).update(
            status=ReportStatus.FAILED, failure_reason=reason[:2000], finished_at=now
        )
        return
    due = now + datetime.timedelta(seconds=retry_in or 0)
    note = gettext("Attempt failed: %(reason)s. The next attempt at %(time)s.") % {
        "reason": reason,
        "time": timezone.localtime(due).strftime("%H:%M"),
    }
    Report.objects.filter(pk=report_id).exclude(status=ReportStatus.READY).update(
        status=ReportStatus.QUEUED,
        failure_reason=note[:2000],
        finished_at=None,
        heartbeat_at=None,
        due_at=due,
    )


def retry_delay(retries: int) -> int:
    """Seconds before retry number `retries + 1`: minutes, doubling, so a database restart is
    waited out rather than used up in seconds."""
    return min(settings.REPORTS_RETRY_SECONDS * 2**retries, settings.REPORTS_RETRY_MAX_SECONDS)


def reports_stuck(now: datetime.datetime | None = None) -> QuerySet:
    """Reports whose build was lost: building without a heartbeat for
    REPORTS_STUCK_AFTER_SECONDS (the worker died), or handed to the queue and not started for
    REPORTS_LOST_AFTER_SECONDS (the message was lost)."""
    now = now or timezone.now()
    lost = now - datetime.timedelta(seconds=settings.REPORTS_LOST_AFTER_SECONDS)
    return Report.objects.filter(
        Q(status=ReportStatus.BUILDING)
        & (
            Q(heartbeat_at__lt=_stale_before(now))
            | Q(heartbeat_at__isnull=True, started_at__lt=_stale_before(now))
        )
        | Q(status=ReportStatus.QUEUED, due_at__lt=lost)
    )


def reports_unsent(now: datetime.datetime | None = None) -> QuerySet:
    """Queued reports never handed to the queue (the broker was down when they were ordered);
    a few seconds' grace for an order whose commit is still sending it."""
    now = now or timezone.now()
    grace = now - datetime.timedelta(seconds=10)
    return Report.objects.filter(
        status=ReportStatus.QUEUED, due_at__isnull=True, requested_at__lt=grace
    )


def reports_requeue_stuck(now: datetime.datetime | None = None) -> list[int]:
    """The sweep (every minute): queue the lost builds again, those past REPORTS_MAX_ATTEMPTS
    fail for good, and send the orders the broker could not take. Returns the ids sent."""
    requeued = []
    for report in reports_stuck(now).only("pk", "attempts"):
        if report.attempts >= settings.REPORTS_MAX_ATTEMPTS:
            report_failed(
                report.pk,
                gettext("Gave up after %(count)d attempts.") % {"count": report.attempts},
                final=True,
            )
            continue
        updated = (
            reports_stuck(now)
            .filter(pk=report.pk)
            .update(status=ReportStatus.QUEUED, started_at=None, heartbeat_at=None, due_at=None)
        )
        if updated:
            requeued.append(report.pk)
    unsent = set(reports_unsent(now).values_list("pk", flat=True)) | set(requeued)
    return [pk for pk in sorted(unsent) if report_send(pk)]


def annual_year_due(today: datetime.date) -> str | None:
    """The academic year whose annual reports are due: the year that ended before today, once
    REPORTS_ANNUAL_ORDER_DATE ("MM-DD") of the calendar year has come."""
    month, day = (int(part) for part in settings.REPORTS_ANNUAL_ORDER_DATE.split("-"))
    if today < datetime.date(today.year, month, day):
        return None
    start = today.year - 1
    return f"{start}/{start + 1}"


def reports_order_annual(today: datetime.date | None = None) -> list[Report]:
    """Order every municipality's annual report and every organization's, once per year: a
    report already ordered by the schedule for that year is not ordered again."""
    today = today or timezone.localdate()
    year = annual_year_due(today)
    if year is None:
        return []
    scheduled = Report.objects.filter(academic_year=year, requested_by__isnull=True)
    done_municipal = set(
        scheduled.filter(kind=ReportKind.MUNICIPAL).values_list("municipality_id", flat=True)
    )
    done_organizations = set(
        scheduled.filter(kind=ReportKind.ORGANIZATION).values_list("organization_id", flat=True)
    )
    ordered = []
    for municipality in Municipality.objects.exclude(pk__in=done_municipal):
        ordered.append(
            report_order(user=None, kind=ReportKind.MUNICIPAL, year=year, municipality=municipality)
        )
    organizations = Organization.objects.exclude(pk__in=done_organizations).select_related(
        "municipality"
    )
    for organization in organizations:
        ordered.append(
            report_order(
                user=None, kind=ReportKind.ORGANIZATION, year=year, organization=organization
            )
        )
    return ordered


# The data -------------------------------------------------------------------------------------


def scope_of(report: Report) -> ind.Scope:
    if report.kind == ReportKind.REGIONAL:
        from monitoring.region import RegionScope

        return RegionScope(region_id=report.region_id)
    if report.kind == ReportKind.ORGANIZATION:
        return ind.Scope(
            municipality_id=report.municipality_id, organization_id=report.organization_id
        )
    if report.kind == ReportKind.KIND:
        return ind.Scope(municipality_id=report.municipality_id, kind=report.organization_kind)
    return ind.Scope(municipality_id=report.municipality_id)


@dataclass(frozen=True)
class Region(ind.Scope):
    """Several municipalities at once (the benchmark's report over N districts)."""

    municipality_ids: tuple[int, ...] = ()

    def organizations(self) -> QuerySet:
        return super().organizations().filter(municipality_id__in=self.municipality_ids)


@dataclass
class OrganizationRow:
    """One organization's share of the indicators (the same row sets as the totals)."""

    pk: int
    name: str
    kind: str
    needing: int = 0
    covered: int = 0
    mentors: int = 0
    mentees: int = 0
    pairs: int = 0
    groups: int = 0
    inter: int = 0
    programs: int = 0
    due: int = 0
    due_completed: int = 0
    completed: int = 0
    drafts: int = 0
    overdue: int = 0
    meetings: int = 0
    late: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(OrganizationKind(self.kind).label) if self.kind else ""

    @property
    def uncovered(self) -> int:
        return self.needing - self.covered

    @property
    def coverage_percent(self) -> float | None:
        return ind.share(self.covered, self.needing)

    @property
    def completed_percent(self) -> float | None:
        return ind.share(self.due_completed, self.due)

    def add(self, other: OrganizationRow) -> None:
        for name in (
            "needing", "covered", "mentors", "mentees", "pairs", "groups", "inter",
            "programs", "due", "due_completed", "completed", "drafts", "overdue", "meetings",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def attention(self) -> list[str]:
        """Why the organization needs the committee's attention (empty: it does not)."""
        reasons = []
        if self.needing and not (self.pairs or self.groups):
            reasons.append(gettext("no working pairs though teachers need a mentor"))
        elif self.uncovered:
            reasons.append(
                gettext("%(count)d teachers in need have no mentor") % {"count": self.uncovered}
            )
        if self.overdue:
            reasons.append(
                gettext("%(count)d road-map activities overdue") % {"count": self.overdue}
            )
        if self.due and self.completed_percent is not None and self.completed_percent < 50:
            reasons.append(
                gettext("%(percent)s%% of the programs due were completed")
                % {"percent": self.completed_percent}
            )
        if self.late:
            reasons.append(gettext("deadlines missed: %(list)s") % {"list": ", ".join(self.late)})
        return reasons


def _by(qs: QuerySet, key: str, **aggregates) -> dict[int, dict]:
    return {row[key]: row for row in qs.values(key).annotate(**aggregates).order_by()}


def organization_rows(
    scope: ind.Scope, year: str, today: datetime.date, compliance: list[ind.ComplianceRow]
) -> list[OrganizationRow]:
    """The indicators per organization in a fixed number of queries, however many there are."""
    working = ind.pairs_working(scope, year)
    needing = _by(
        ind.needing(scope, year),
        "needs_list__organization_id",
        total=Count("pk"),
        covered=Count("pk", filter=Q(has_pair=True)),
    )
    pairs = _by(
        ind.with_mentee_count(working),
        "organization_id",
        pairs=Count("pk", filter=Q(mentee_count__lte=1)),
        groups=Count("pk", filter=Q(mentee_count__gte=2)),
        mentors=Count("mentor_id", distinct=True),
    )
    mentees = _by(
        PairMentee.objects.filter(pair__in=working),
        "pair__organization_id",
        n=Count("person_id", distinct=True),
    )
    inter = _by(ind.inter_organization(working), "organization_id", n=Count("pk"))
    running = _by(ind.programs_of_year(scope, year), "pair__organization_id", n=Count("pk"))
    due = _by(
        ind.programs_due(scope, year, today),
        "pair__organization_id",
        n=Count("pk"),
        completed=Count("pk", filter=Q(status="completed")),
    )
    completed = _by(
        ind.programs_completed(scope, year, today), "pair__organization_id", n=Count("pk")
    )
    drafts = _by(ind.programs_drafts(scope, year), "pair__organization_id", n=Count("pk"))
    overdue = _by(
        ind.overdue_activities(scope, year, today), "program__pair__organization_id", n=Count("pk")
    )
    meetings = _by(ind.meetings_held(scope, year, today), "pair__organization_id", n=Count("pk"))
    kinds = dict(DeadlineKind.choices)
    rows = []
    for compliance_row in compliance:
        org = compliance_row.organization
        pk = org.pk
        rows.append(
            OrganizationRow(
                pk=pk,
                name=org.short_name,
                kind=org.kind,
                needing=needing.get(pk, {}).get("total", 0),
                covered=needing.get(pk, {}).get("covered", 0),
                mentors=pairs.get(pk, {}).get("mentors", 0),
                mentees=mentees.get(pk, {}).get("n", 0),
                pairs=pairs.get(pk, {}).get("pairs", 0),
                groups=pairs.get(pk, {}).get("groups", 0),
                inter=inter.get(pk, {}).get("n", 0),
                programs=running.get(pk, {}).get("n", 0),
                due=due.get(pk, {}).get("n", 0),
                due_completed=due.get(pk, {}).get("completed", 0),
                completed=completed.get(pk, {}).get("n", 0),
                drafts=drafts.get(pk, {}).get("n", 0),
                overdue=overdue.get(pk, {}).get("n", 0),
                meetings=meetings.get(pk, {}).get("n", 0),
                late=[str(kinds[check.kind]) for check in compliance_row.checks if check.is_late],
            )
        )
    return rows


def kind_rows(rows: list[OrganizationRow]) -> list[OrganizationRow]:
    """The organization rows summed by kind of organization (mentors of several
    organizations of a kind count in each)."""
    totals: dict[str, OrganizationRow] = {}
    for row in rows:
        total = totals.setdefault(row.kind, OrganizationRow(pk=0, name="", kind=row.kind))
        total.add(row)
    return [totals[kind] for kind in OrganizationKind.values if kind in totals]


@dataclass(frozen=True)
class AreaRow:
    area: str
    deficits: int
    closed: int

    @property
    def percent(self) -> float | None:
        return ind.share(self.closed, self.deficits)


def deficits_by_area(result: ind.Deficits) -> list[AreaRow]:
    """The deficits found at the start and closed at the end, by area of difficulty."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in result.rows:
        if row.is_deficit:
            counts[row.area_id][0] += 1
            counts[row.area_id][1] += row.is_closed
    areas = DifficultyArea.objects.filter(pk__in=counts).order_by("sort_order", "pk")
    return [AreaRow(area.name, *counts[area.pk]) for area in areas]


def best_practices(scope: ind.Scope, year: str) -> QuerySet:
    """Products the councils accepted into the bank during the year."""
    start, end = year_bounds(year)
    return (
        Product.objects.accepted()
        .filter(
            organization__in=scope.organization_ids(),
            decided_at__date__gte=start,
            decided_at__date__lte=end,
        )
        .select_related("organization", "author", "area")
        .order_by("organization__sort_key", "title", "pk")
    )


def pairs_by_name(scope: ind.Scope, year: str, today: datetime.date) -> list:
    """The pairs and groups working in the year, named (for an organization's report)."""
    start, end = year_bounds(year)
    return list(
        ind.pairs_working(scope, year)
        .select_related("mentor", "form", "kind")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=PairMentee.objects.select_related("person").order_by("person__search_key"),
                to_attr="mentee_rows",
            )
        )
        .annotate(
            year_meetings=Count(
                "meetings",
                filter=on_days("meetings__held_at", start, min(end, today)),
            ),
            last_meeting=Max("meetings__held_at"),
        )
        .order_by("mentor__search_key", "planned_start", "pk")
    )


def programs_by_name(scope: ind.Scope, year: str) -> list:
    """Every program of the organization whose period overlaps the year, drafts included (the
    curator's list): the running ones and the drafts of the indicators together."""
    start, end = year_bounds(year)
    return list(
        scope.programs()
        .filter(starts_on__lte=end, ends_on__gte=start)
        .select_related("mentee", "pair__mentor")
        .order_by("mentee__search_key", "pk")
    )


def conclusions(
    summary: ind.Summary, rows: list[OrganizationRow], attention: list[OrganizationRow]
) -> list[str]:
    """Plain sentences drawn from the numbers, for the report's conclusions."""
    result = []
    now, before = summary.coverage.current, summary.coverage.previous
    if now.percent is not None and before.percent is not None and now.percent != before.percent:
        template = (
            gettext("Coverage rose from %(before)s %% to %(now)s %%.")
            if now.percent > before.percent
            else gettext("Coverage fell from %(before)s %% to %(now)s %%.")
        )
        result.append(template % {"before": _number(before.percent), "now": _number(now.percent)})
    if now.uncovered > 0:
        result.append(
            gettext("%(count)d teachers on the needs lists still have no mentor: give them one.")
            % {"count": now.uncovered}
        )
    overdue = summary.programs.current.overdue_activities
    if overdue:
        result.append(
            gettext(
                "%(count)d road-map activities are overdue: the curators should have them done "
                "or rescheduled."
            )
            % {"count": overdue}
        )
    late = [row for row in rows if row.late]
    if late:
        result.append(
            gettext("%(count)d organizations missed deadlines of the order: %(names)s.")
            % {"count": len(late), "names": ", ".join(row.name for row in late)}
        )
    closed = summary.deficits.current
    if closed.deficits:
        result.append(
            gettext("%(closed)d of %(deficits)d professional deficits found were closed.")
            % {"closed": closed.closed, "deficits": closed.deficits}
        )
    if not attention:
        result.append(gettext("Every organization of the report is on track."))
    return result


def _number(value: float) -> str:
    return number_format(value, decimal_pos=1 if value != int(value) else 0)


def committee_name(municipality: Municipality | None) -> str:
    if municipality is None:
        return ""
    return municipality.committee_name or gettext("Education committee of %(name)s") % {
        "name": municipality.name
    }


def gather(
    scope: ind.Scope,
    year: str,
    today: datetime.date,
    *,
    municipality: Municipality | None,
    organization: Organization | None = None,
    organization_kind: str = "",
    title: str = "",
) -> dict:
    """Everything the report shows, from the indicators module (one summary, reused)."""
    summary = ind.summary(scope, year, today)
    links = tables.Links({})
    current, previous = summary.pairs.current, summary.pairs.previous
    programs_now, programs_before = summary.programs.current, summary.programs.previous
    indicators = tables.indicators_table(summary, links)
    # The dashboard's chart beside the indicators, drawn by the same function.
    indicators.chart = charts.compared_chart(
        gettext("The year against the previous one"),
        [
            gettext("Pairs"),
            gettext("Groups"),
            gettext("Programs completed"),
            gettext("Overdue activities"),
        ],
        [current.pairs, current.groups, programs_now.completed, programs_now.overdue_activities],
        [
            previous.pairs,
            previous.groups,
            programs_before.completed,
            programs_before.overdue_activities,
        ],
        (summary.year, summary.previous_year),
    )
    compliance = ind.compliance(scope, year, today)
    rows = organization_rows(scope, year, today, compliance)
    deficits = deficits_by_area(summary.deficits.current)
    totals = OrganizationRow(pk=0, name="", kind="")
    for row in rows:
        totals.add(row)
    attention = [row for row in rows if row.attention]
    return {
        "title": title,
        "municipality": municipality,
        "committee_name": committee_name(municipality),
        "organization": organization,
        "organization_kind": str(OrganizationKind(organization_kind).label)
        if organization_kind
        else "",
        "year": year,
        "previous_year": summary.previous_year,
        "today": today,
        "summary": summary,
        "indicators": indicators,
        "forms": tables.forms_table(summary),
        "stage1": tables.stage1_table(summary, links),
        "stage2": tables.stage2_table(summary, links),
        "incentive_indicators": tables.incentives_table(summary, links),
        "health_status": tables.health_status_table(summary, links),
        "uptake": tables.uptake_table(summary, links),
        "monthly": tables.monthly_table(ind.monthly_trend(scope, year, today), year),
        "yearly": tables.yearly_table(ind.yearly_trend(scope, year, today)),
        "compliance": tables.compliance_table(compliance, year),
        "compliance_totals": ind.compliance_totals(compliance),
        # Compliance per order of the committee: the dashboard's function and tables, the
        # orders binding none of the report's organizations left out.
        "order_tables": tables.order_tables(
            [result for result in ind.order_compliance(scope, today) if result.rows]
        ),
        "organizations": rows,
        "kinds": kind_rows(rows),
        "totals": totals,
        "attention": attention,
        "late_organizations": sum(1 for row in compliance if row.late_count),
        "conclusions": conclusions(summary, rows, attention),
        "deficit_areas": deficits,
        "practices": list(best_practices(scope, year)),
        "pairs": pairs_by_name(scope, year, today) if organization else [],
        "programs_list": programs_by_name(scope, year) if organization else [],
        "is_organization": organization is not None,
        # «Стимулирование и мероприятия» (3.4): plain rows from the community app.
        "incentives": community_selectors.incentive_rows(scope.organizations(), year),
    }


def issued_values_link(user, scope: ind.Scope, year: str):
    """The latest report issued for the dashboard's scope and year that the user may read:
    (its date, the address of the numbers it printed), or None."""
    if scope.program_id:
        return None
    if scope.organization_id:
        reports_of = Report.objects.filter(
            kind=ReportKind.ORGANIZATION, organization_id=scope.organization_id
        )
    elif scope.kind:
        reports_of = Report.objects.filter(
            kind=ReportKind.KIND,
            municipality_id=scope.municipality_id,
            organization_kind=scope.kind,
        )
    elif scope.municipality_id:
        reports_of = Report.objects.filter(
            kind=ReportKind.MUNICIPAL, municipality_id=scope.municipality_id
        )
    else:
        return None
    report = (
        reports_of.visible_to(user)
        .filter(academic_year=year, status=ReportStatus.READY, finished_at__isnull=False)
        .exclude(values={})
        .order_by("-finished_at", "-pk")
        .first()
    )
    if report is None:
        return None
    return timezone.localdate(report.finished_at), reverse("reports:values", args=[report.pk])


def narrative_for(
    kind: str, municipality_id: int, organization_id: int | None, year: str
) -> ReportNarrative | None:
    return ReportNarrative.objects.filter(
        kind=kind,
        municipality_id=municipality_id,
        organization_id=organization_id,
        academic_year=year,
    ).first()


def organization_conclusions(municipality_id: int, year: str) -> list[ReportNarrative]:
    """The organizations' issued conclusions of the year (the municipal report's annex)."""
    return list(
        ReportNarrative.objects.filter(
            kind=ReportKind.ORGANIZATION,
            municipality_id=municipality_id,
            academic_year=year,
            status=NarrativeStatus.ISSUED,
        )
        .select_related("organization")
        .order_by("organization__sort_key")
    )


def report_context(report: Report, today: datetime.date | None = None) -> dict:
    """The data of one report, as of today (or the end of its year, when that has passed)."""
    today = today or timezone.localdate()
    context = gather(
        scope_of(report),
        report.academic_year,
        today,
        municipality=report.municipality,
        organization=report.organization,
        organization_kind=report.organization_kind,
        title=str(report.get_kind_display()),
    )
    context["report"] = report
    context.update(document_extras(report, context))
    return context


def document_extras(report: Report, context: dict, narrative=None) -> dict:
    """Signatories, the written text and the annexes of a report."""
    municipality = report.municipality
    if narrative is None:
        narrative = narrative_for(
            report.kind, report.municipality_id, report.organization_id, report.academic_year
        )
    summary = context["summary"]
    extras = {
        "narrative": narrative if narrative and not narrative.is_empty else None,
        "definitions": [
            (indicator, tables.Cell(indicator.of(summary)).display)
            for indicator in registry.INDICATORS
        ],
        "definitions_version": registry.definitions_version(),
        "summary_text": summary_sentences(summary, context),
        "program_text": program_sentences(summary),
        # Incentives and events (3.4): filled by the section that records them; an empty list
        # prints one sentence saying nothing was recorded.
        "incentives": context.get("incentives", []),
    }
    if report.kind == ReportKind.ORGANIZATION:
        organization = report.organization
        extras["approver"] = signatories.head_of(organization)
        extras["signer"] = signatories.curator_of(organization)
    else:
        extras["approver"] = signatories.chairman_of(municipality)
        extras["signer"] = signatories.coordinator_of(municipality)
        extras["organization_conclusions"] = organization_conclusions(
            report.municipality_id, report.academic_year
        )
    return extras


def program_sentences(summary: ind.Summary) -> list[str]:
    programs = summary.programs.current
    total = programs.running + programs.drafts
    if not total:
        return [gettext("No personalized program of this year is recorded.")]
    return [
        gettext(
            "Programs of the year: %(total)d, of them approved by the head: %(running)d, drafts: "
            "%(drafts)d; completed in the year: %(completed)d."
        )
        % {
            "total": total,
            "running": programs.running,
            "drafts": programs.drafts,
            "completed": programs.completed,
        }
    ]


def _has_data(coverage, pairs, programs, meetings) -> bool:
    return bool(
        coverage.needing or pairs.total or programs.running or programs.drafts or meetings.meetings
    )


def summary_sentences(summary: ind.Summary, context: dict) -> list[str]:
    """The summary of a report in plain sentences that read well for zero and missing data."""
    year, before = summary.year, summary.previous_year
    cov, cov_before = summary.coverage.current, summary.coverage.previous
    pairs, pairs_before = summary.pairs.current, summary.pairs.previous
    programs = summary.programs.current
    meetings = summary.meetings.current
    now_data = _has_data(cov, pairs, programs, meetings)
    before_data = _has_data(
        cov_before, pairs_before, summary.programs.previous, summary.meetings.previous
    )
    sentences = []
    if not now_data:
        sentences.append(
            gettext("There are no data for the %(year)s academic year in the portal.")
            % {"year": year}
        )
        return sentences
    if cov.needing:
        sentences.append(
            gettext(
                "The needs lists of the %(year)s academic year name %(needing)d teachers who "
                "need a mentor; %(covered)d of them (%(percent)s %%) worked in a mentoring pair "
                "or group."
            )
            % {
                "year": year,
                "needing": cov.needing,
                "covered": cov.covered,
                "percent": _number(cov.percent),
            }
        )
    else:
        sentences.append(
            gettext("The needs lists of the %(year)s academic year name no teachers.")
            % {"year": year}
        )
    if not before_data:
        sentences.append(
            gettext("There are no data for the %(year)s academic year in the portal.")
            % {"year": before}
        )
    elif cov_before.needing:
        sentences.append(
            gettext("A year before, %(covered)d of %(needing)d teachers had a mentor.")
            % {"covered": cov_before.covered, "needing": cov_before.needing}
        )
    sentences.append(
        gettext(
            "Pairs working during the year: %(pairs)d, groups: %(groups)d; %(inter)d of them "
            "join teachers of different organizations."
        )
        % {"pairs": pairs.pairs, "groups": pairs.groups, "inter": pairs.inter_organization}
    )
    program_text = gettext(
        "Personalized programs running: %(running)d; completed in the year: %(completed)d."
    ) % {"running": programs.running, "completed": programs.completed}
    if programs.drafts:
        program_text += " " + gettext("%(drafts)d more programs are drafts not yet approved.") % {
            "drafts": programs.drafts
        }
    if programs.due:
        program_text += " " + gettext(
            "Of the %(due)d programs due to end by the date of the report, %(done)d were completed."
        ) % {"due": programs.due, "done": programs.due_completed}
    else:
        program_text += " " + gettext("No program was due to end by the date of the report.")
    sentences.append(program_text)
    if programs.overdue_activities:
        sentences.append(
            gettext("Road-map activities overdue: %(count)d.")
            % {"count": programs.overdue_activities}
        )
    else:
        sentences.append(gettext("No road-map activity is overdue."))
    if meetings.meetings:
        sentences.append(
            gettext("Mentors held %(meetings)d meetings, %(rate)s per pair a month.")
            % {"meetings": meetings.meetings, "rate": _number(meetings.per_pair_month or 0)}
        )
    else:
        sentences.append(gettext("No meeting is recorded in the year."))
    deficits = summary.deficits.current
    if deficits.mentees:
        sentences.append(
            gettext(
                "The diagnostics at the start and at the end of %(mentees)d mentees found "
                "%(deficits)d professional deficits; %(closed)d of them were closed."
            )
            % {
                "mentees": deficits.mentees,
                "deficits": deficits.deficits,
                "closed": deficits.closed,
            }
        )
    else:
        sentences.append(gettext("No mentee has diagnostics at both the start and the end yet."))
    return sentences


def render_html(context: dict, language: str | None = None, template: str = TEMPLATE) -> str:
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return render_to_string(template, context)


@dataclass(frozen=True)
class Built:
    filename: str
    pdf: bytes
    docx: bytes
    values: dict


def template_for(report: Report) -> str:
    return ORGANIZATION_TEMPLATE if report.kind == ReportKind.ORGANIZATION else TEMPLATE


def build_documents(report: Report, context: dict | None = None) -> Built:
    """The report as a PDF and a Word file from one HTML, and the numbers they print."""
    context = context or report_context(report)
    html = render_html(context, template=template_for(report))
    values = {
        "year": report.academic_year,
        "as_of": context["today"].isoformat(),
        "indicators": registry.values(context["summary"]),
        "previous": {
            indicator.code: indicator.of(context["summary"], previous=True)
            for indicator in registry.INDICATORS
        },
        "narrative": (
            {
                "conclusions": context["narrative"].conclusions,
                "problems": context["narrative"].problems,
                "proposals": context["narrative"].proposals,
            }
            if context.get("narrative")
            else {}
        ),
    }
    return Built(report.download_name, html_to_pdf(html), html_to_docx(html), values)


class Rendered(tuple):
    """(file name, PDF content), carrying the Word copy and the printed numbers built from
    the same data along."""

    docx: bytes | None = None
    values: dict | None = None


def render(report: Report) -> Rendered:
    """The report as a PDF: (file name, content), with `.docx` and `.values` beside."""
    built = build_documents(report)
    rendered = Rendered((built.filename, built.pdf))
    rendered.docx = built.docx
    rendered.values = built.values
    return rendered


# The written text of a report ----------------------------------------------------------------


def narrative_target(user, organization_id: str | None = None):
    """Which report's text the user writes: (kind, municipality, organization) — a curator or
    head their organization's (4.1.3), the coordinator the municipal one; None otherwise."""
    scope = user_scope(user)
    managed = sorted(scope.managed_organizations)
    if organization_id and str(organization_id).isdigit() and int(organization_id) in managed:
        managed = [int(organization_id)]
    if managed and not scope.coordinated_municipalities:
        organization = Organization.objects.select_related("municipality").get(pk=managed[0])
        return ReportKind.ORGANIZATION, organization.municipality, organization
    coordinated = sorted(scope.coordinated_municipalities)
    if coordinated:
        return ReportKind.MUNICIPAL, Municipality.objects.get(pk=coordinated[0]), None
    if scope.is_superuser:
        municipality = Municipality.objects.order_by("pk").first()
        return (ReportKind.MUNICIPAL, municipality, None) if municipality else None
    return None


def narrative_get(*, kind: str, municipality, organization, year: str) -> ReportNarrative:
    """The saved text, or a new unsaved draft."""
    found = narrative_for(kind, municipality.pk, organization.pk if organization else None, year)
    return found or ReportNarrative(
        kind=kind, municipality=municipality, organization=organization, academic_year=year
    )


@transaction.atomic
def narrative_save(*, user, narrative: ReportNarrative) -> ReportNarrative:
    """Save the text as a draft (an issued text edited again is a draft until re-issued)."""
    narrative.updated_by = user
    narrative.status = NarrativeStatus.DRAFT
    narrative.conclusions = narrative.conclusions.strip()
    narrative.problems = narrative.problems.strip()
    narrative.proposals = narrative.proposals.strip()
    narrative.save()
    return narrative


def _report_for(narrative: ReportNarrative) -> Report:
    return Report(
        kind=narrative.kind,
        municipality=narrative.municipality,
        organization=narrative.organization,
        academic_year=narrative.academic_year,
    )


def narrative_preview(narrative: ReportNarrative) -> bytes:
    """The report's PDF with the draft text, built now and kept nowhere."""
    report = _report_for(narrative)
    context = report_context(report)
    context.update(document_extras(report, context, narrative=narrative))
    return html_to_pdf(render_html(context, template=template_for(report)))


@transaction.atomic
def narrative_issue(*, user, narrative: ReportNarrative) -> Report:
    """Issue the text: the report is built with it (a new version if one was built before)."""
    narrative.status = NarrativeStatus.ISSUED
    narrative.updated_by = user
    narrative.save(update_fields=["status", "updated_by", "updated_at"])
    earlier = Report.objects.filter(
        kind=narrative.kind,
        municipality=narrative.municipality,
        organization=narrative.organization,
        academic_year=narrative.academic_year,
    ).exists()
    return report_order(
        user=user,
        kind=narrative.kind,
        year=narrative.academic_year,
        organization=narrative.organization,
        municipality=narrative.municipality,
        reason=gettext("the text of the report is issued") if earlier else "",
    )
