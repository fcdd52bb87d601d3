"""Annual analytic reports (section 5 and 4.1.3): a row saved first — what, for whom, which
year, its status — and the PDF a Celery task builds into it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadTo
from orgs.models import Municipality, Organization, OrganizationKind, Region, user_scope


class ReportKind(models.TextChoices):
    MUNICIPAL = "municipal", _("municipal annual report")
    ORGANIZATION = "organization", _("organization's annual report")
    KIND = "kind", _("report on one kind of organizations")
    REGIONAL = "regional", _("regional annual report")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    BUILDING = "building", _("building")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


PENDING = (ReportStatus.QUEUED, ReportStatus.BUILDING)


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportQuerySet:
        """The coordinator: every report of their municipality. A specialist: the municipal
        reports of their municipality and the kind and organization reports of their kind.
        A head or a curator: their organization's reports."""
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        q = Q(municipality_id__in=scope.coordinated_municipalities)
        for municipality_id, kind in scope.specialist_kinds:
            q |= Q(municipality_id=municipality_id) & (
                Q(kind=ReportKind.MUNICIPAL)
                | Q(kind=ReportKind.KIND, organization_kind=kind)
                | Q(kind=ReportKind.ORGANIZATION, organization__kind=kind)
            )
        q |= Q(kind=ReportKind.ORGANIZATION, organization_id__in=scope.managed_organizations)
        if scope.regions:  # the regional coordinator: the region's reports and municipal ones
            q |= Q(kind=ReportKind.REGIONAL, region_id__in=scope.regions)
            q |= Q(kind=ReportKind.MUNICIPAL, municipality_id__in=scope.regional_municipalities)
        return self.filter(q)

    def pending(self) -> ReportQuerySet:
        return self.filter(status__in=PENDING)

    def for_list(self) -> ReportQuerySet:
        return self.select_related("municipality", "organization", "requested_by").order_by(
            "-requested_at", "-pk"
        )


class Report(models.Model):
    """One ordered report and, once built, its PDF. Every order is a new row, so earlier
    versions of the same report are kept."""

    kind = models.CharField(_("report"), max_length=16, choices=ReportKind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("region"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("municipality"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("organization"),
    )
    organization_kind = models.CharField(
        _("kind of organizations"), max_length=16, choices=OrganizationKind.choices, blank=True
    )
    academic_year = models.CharField(_("academic year"), max_length=9)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordered by"),
        help_text=_("Empty for the reports ordered by the schedule."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    failure_reason = models.TextField(_("reason of the failure"), blank=True)
    requested_at = models.DateTimeField(_("ordered at"), auto_now_add=True)
    started_at = models.DateTimeField(_("build started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(
        _("last sign of life"),
        null=True,
        blank=True,
        help_text=_("Renewed while the report is being built; a stale one means a lost worker."),
    )
    due_at = models.DateTimeField(
        _("handed to the queue for"),
        null=True,
        blank=True,
        help_text=_("Empty while the queue was unavailable: the sweep hands the order over later."),
    )
    file = models.FileField(_("file"), upload_to=UploadTo("reports"), blank=True, max_length=200)
    size = models.PositiveIntegerField(_("size, bytes"), default=0)
    # Frozen with the build: the numbers the report printed, the version of the indicator
    # definitions they follow, the Word copy, and why this version was built.
    values = models.JSONField(_("printed indicators"), default=dict, blank=True)
    definitions_version = models.CharField(
        _("version of the definitions"), max_length=20, blank=True
    )
    docx = models.FileField(
        _("Word file"), upload_to=UploadTo("reports"), blank=True, max_length=200
    )
    reason = models.CharField(
        _("reason for rebuilding"),
        max_length=500,
        blank=True,
        help_text=_("Why a report already issued is built again."),
    )
    # A regional report is built in parts, one annex per municipality: how many there are.
    parts_total = models.PositiveIntegerField(_("parts"), default=0)

    objects = ReportQuerySet.as_manager()

    class Meta:
        db_table = "monitoring_report"  # kept from when reports lived in monitoring
        verbose_name = _("analytic report")
        verbose_name_plural = _("analytic reports")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "started_at"], name="report_status_started")]
        constraints = [
            # One active build per scope and year: a second order finds the first one.
            models.UniqueConstraint(
                fields=[
                    "kind",
                    "region",
                    "municipality",
                    "organization",
                    "organization_kind",
                    "academic_year",
                ],
                condition=Q(status__in=PENDING),
                nulls_distinct=False,
                name="report_one_active_build",
                violation_error_message=_("This report is already ordered and is being built."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind="regional",
                    region__isnull=False,
                    municipality__isnull=True,
                    organization__isnull=True,
                    organization_kind="",
                )
                | Q(region__isnull=True, municipality__isnull=False)
                & (
                    Q(kind="municipal", organization__isnull=True, organization_kind="")
                    | Q(kind="organization", organization__isnull=False, organization_kind="")
                    | Q(kind="kind", organization__isnull=True) & ~Q(organization_kind="")
                ),
                name="report_scope_matches_kind",
                violation_error_message=_(
                    "A regional report covers the region, a municipal report the municipality, "
                    "an organization's report one organization, a kind report one kind of "
                    "organizations."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.scope_name}, {self.academic_year}"

    @property
    def scope_name(self) -> str:
        if self.kind == ReportKind.ORGANIZATION:
            return self.organization.short_name
        if self.kind == ReportKind.KIND:
            return f"{self.municipality} · {self.get_organization_kind_display()}"
        if self.kind == ReportKind.REGIONAL:
            return str(self.region)
        return str(self.municipality)

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def docx_name(self) -> str:
        return self.download_name.removesuffix(".pdf") + ".docx"

    @property
    def download_name(self) -> str:
        year = self.academic_year.replace("/", "-")
        if self.kind == ReportKind.ORGANIZATION:
            return f"report-{year}-organization-{self.organization_id}.pdf"
        if self.kind == ReportKind.KIND:
            return f"report-{year}-{self.organization_kind}.pdf"
        if self.kind == ReportKind.REGIONAL:
            return f"report-{year}-region-{self.region_id}.pdf"
        return f"report-{year}-municipality-{self.municipality_id}.pdf"


class RegionalAnnex(models.Model):
    """One municipality's annex of a regional report, built by its own task and kept until
    the report joins them: the parts built so far are the progress of the build, and a build
    started again after a lost worker builds only the missing ones."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="annexes", verbose_name=_("report")
    )
    # Empty for the summary of the region, built as a part of its own beside the annexes.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    file = models.FileField(_("file"), upload_to=UploadTo("reports"), max_length=200)
    docx = models.FileField(
        _("Word file"), upload_to=UploadTo("reports"), blank=True, max_length=200
    )
    values = models.JSONField(_("printed indicators"), default=dict, blank=True)
    built_at = models.DateTimeField(_("built at"), auto_now_add=True)

    class Meta:
        verbose_name = _("annex of a regional report")
        verbose_name_plural = _("annexes of regional reports")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "municipality"],
                nulls_distinct=False,
                name="regional_annex_once",
                violation_error_message=_("This annex is already built."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.municipality_id}"


class NarrativeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")


class ReportNarrative(models.Model):
    """What people write into an annual report: the curator for the organization's report
    (4.1.3), the coordinator for the municipal one — conclusions, problems, proposals. Saved
    as a draft, previewed in the PDF, issued with the report."""

    kind = models.CharField(_("report"), max_length=16, choices=ReportKind.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_narratives",
        verbose_name=_("organization"),
    )
    academic_year = models.CharField(_("academic year"), max_length=9)
    conclusions = models.TextField(_("conclusions"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=NarrativeStatus.choices, default=NarrativeStatus.DRAFT
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("text of a report")
        verbose_name_plural = _("texts of reports")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "municipality", "organization", "academic_year"],
                nulls_distinct=False,
                name="report_narrative_unique",
                violation_error_message=_("This report already has its text."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.academic_year}"

    @property
    def is_empty(self) -> bool:
        return not (self.conclusions.strip() or self.problems.strip() or self.proposals.strip())


class ReminderLetter(models.Model):
    """A weekly reminder letter sent to a user. The row is the "one letter per user per week"
    rule: a letter goes out only if its row could be created, in the same transaction."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_letters",
        verbose_name=_("user"),
    )
    week = models.DateField(_("week"), help_text=_("The Monday of the week the letter is for."))
    sent_at = models.DateTimeField(_("sent at"))
    items = models.PositiveIntegerField(_("items"), default=0)

    class Meta:
        db_table = "monitoring_reminderletter"
        verbose_name = _("reminder letter")
        verbose_name_plural = _("reminder letters")
        ordering = ["-week", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "week"],
                name="reminder_letter_once_a_week",
                violation_error_message=_("This user has already had this week's letter."),
            ),
            models.CheckConstraint(
                condition=Q(week__iso_week_day=1),
                name="reminder_letter_week_is_monday",
                violation_error_message=_("A week is given by its Monday."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.week:%d.%m.%Y}"
