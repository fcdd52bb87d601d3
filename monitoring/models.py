"""Monitoring (section 5 of the Положение): local acts and the order's deadlines, stage-1
periodic entries per program, stage-2 surveys of mentee and mentor at the start and the end."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.dates import day_text
from core.uploads import UploadTo, UploadValidator
from mentoring.models import Pair
from orgs.models import (
    Municipality,
    Organization,
    OrganizationKind,
    scope_municipalities,
    user_scope,
)
from orgs.visibility import official_organization_ids
from programs.models import Program


def year_bounds(academic_year: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of an academic year "2026/2027": 1 September to 31 August."""
    start = int(academic_year[:4])
    return datetime.date(start, 9, 1), datetime.date(start + 1, 8, 31)


def previous_year(academic_year: str) -> str:
    start = int(academic_year[:4]) - 1
    return f"{start}/{start + 1}"


def committee_or_managed_q(user, prefix: str = "organization__") -> Q | None:
    """Rows of organizations the committee part of the scope covers, or that the user heads
    or curates. None means every row (superuser)."""
    organizations = official_organization_ids(user)
    if organizations is None:
        return None
    # One indexed `organization_id IN (...)`, not an OR of joins to the organization.
    return Q(**{prefix.removesuffix("__") + "_id__in": organizations})


class ScopedQuerySet(models.QuerySet):
    organization_prefix = "organization__"

    def visible_to(self, user):
        q = committee_or_managed_q(user, self.organization_prefix)
        return self if q is None else self.filter(q)


# Local acts and deadlines -------------------------------------------------------------------


class ActType(models.TextChoices):
    REGULATION = "regulation", _("regulation on mentoring")
    PAIRS_ORDER = "pairs_order", _("order fixing the pairs")
    ROAD_MAP = "road_map", _("road map")
    ANNUAL_REPORT = "annual_report", _("annual report")


class LocalActQuerySet(ScopedQuerySet):
    def for_list(self) -> LocalActQuerySet:
        return self.select_related("organization").order_by(
            "organization__sort_key", "type", "-adopted_on", "pk"
        )


class LocalAct(models.Model):
    """A document of an organization about mentoring: its number, date, file and where it is
    published on the organization's site."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="local_acts",
        verbose_name=_("organization"),
    )
    type = models.CharField(_("document"), max_length=16, choices=ActType.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    number = models.CharField(_("number"), max_length=50, blank=True)
    adopted_on = models.DateField(_("date"), help_text=_("The date the document was adopted."))
    published_on = models.DateField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_("The date it appeared on the organization's site."),
    )
    url = models.URLField(_("address on the site"), max_length=500, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=UploadTo("monitoring/acts"),
        validators=[UploadValidator()],
        blank=True,
        max_length=200,
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LocalActQuerySet.as_manager()

    class Meta:
        verbose_name = _("local act")
        verbose_name_plural = _("local acts")
        ordering = ["organization__sort_key", "type", "-adopted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | Q(published_on__gte=models.F("adopted_on")),
                name="local_act_published_after_adopted",
                violation_error_message=_("A document cannot be published before it is adopted."),
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | ~Q(url=""),
                name="local_act_published_has_url",
                violation_error_message=_("Give the address where the document is published."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} № {self.number or '—'} {self.adopted_on:%d.%m.%Y}"


class DeadlineKind(models.TextChoices):
    REGULATION_ADOPTED = "regulation_adopted", _("regulation adopted")
    REGULATION_PUBLISHED = "regulation_published", _("regulation published on the site")
    SYSTEM_WORKING = "system_working", _("mentoring system working")
    NEEDS_UPDATED = "needs_updated", _("needs list updated")


class DeadlineQuerySet(models.QuerySet):
    def visible_to(self, user) -> DeadlineQuerySet:
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        municipalities = set(scope.coordinated_municipalities) | {
            municipality for municipality, _kind in scope.specialist_kinds
        }
        municipalities |= set(scope_municipalities(scope))
        return self.filter(municipality_id__in=municipalities)


class Deadline(models.Model):
    """A deadline of the order for an academic year, editable by the coordinator: either a
    date (regulation by 01.08, published by 06.08, working by 01.09) or a period in days
    (the needs list is updated at least every 365 days)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="deadlines",
        verbose_name=_("municipality"),
    )
    academic_year = models.CharField(_("academic year"), max_length=9)
    kind = models.CharField(_("deadline"), max_length=24, choices=DeadlineKind.choices)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    within_days = models.PositiveSmallIntegerField(
        _("within, days"),
        null=True,
        blank=True,
        help_text=_("For a recurring duty: how many days may pass since the last update."),
    )

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["municipality", "-academic_year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "academic_year", "kind"],
                name="deadline_unique_kind",
                violation_error_message=_("This deadline is already set for this year."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=False, within_days__isnull=True)
                | Q(due_on__isnull=True, within_days__isnull=False),
                name="deadline_date_or_period",
                violation_error_message=_("Give either a due date or a period in days."),
            ),
        ]

    def __str__(self) -> str:
        if self.due_on:
            return f"{self.get_kind_display()}: {self.due_on:%d.%m.%Y}"
        return f"{self.get_kind_display()}: {self.within_days}"


# The order's deadlines of an academic year, used for a year the coordinator has not set.
DEFAULT_DEADLINES = {
    DeadlineKind.REGULATION_ADOPTED: (8, 1),
    DeadlineKind.REGULATION_PUBLISHED: (8, 6),
    DeadlineKind.SYSTEM_WORKING: (9, 1),
}


def default_deadline(municipality_id: int, year: str, kind: str) -> Deadline:
    """The order's deadline for the year: 01.08, 06.08 and 01.09 of its first calendar year."""
    return Deadline(
        municipality_id=municipality_id,
        academic_year=year,
        kind=kind,
        due_on=datetime.date(int(year[:4]), *DEFAULT_DEADLINES[kind]),
    )


# Stage 1: periodic entries --------------------------------------------------------------------


class Period(models.TextChoices):
    Q1 = "q1", _("1st quarter")
    Q2 = "q2", _("2nd quarter")
    Q3 = "q3", _("3rd quarter")
    Q4 = "q4", _("4th quarter")
    H1 = "h1", _("1st half-year")
    H2 = "h2", _("2nd half-year")
    YEAR = "year", _("whole year")


PERIOD_ORDER = {
    code: index for index, code in enumerate(["q1", "h1", "q2", "q3", "h2", "q4", "year"])
}


class EnteredAs(models.TextChoices):
    MENTOR = "mentor", _("mentor")
    CURATOR = "curator", _("curator")


class ProgressEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgressEntryQuerySet:
        """As the program: the committee, officials, the mentor and the mentee."""
        return self.filter(program__in=Program.objects.visible_to(user))

    def for_list(self) -> ProgressEntryQuerySet:
        return self.select_related(
            "program__mentee", "program__pair__mentor", "program__pair__organization"
        ).order_by("program__mentee__search_key", "academic_year", "period", "pk")


class ProgressEntry(models.Model):
    """Stage 1: what a program achieved in a quarter or term — the mentee's students' exams,
    marks, olympiads, projects with the mentee, the mentee's professional activity, risks."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="progress_entries",
        verbose_name=_("program"),
    )
    academic_year = models.CharField(_("academic year"), max_length=9)
    period = models.CharField(_("period"), max_length=4, choices=Period.choices)
    vpr_passed = models.PositiveIntegerField(_("passed ВПР"), default=0)
    vpr_total = models.PositiveIntegerField(_("wrote ВПР"), default=0)
    oge_passed = models.PositiveIntegerField(_("passed ОГЭ"), default=0)
    oge_total = models.PositiveIntegerField(_("sat ОГЭ"), default=0)
    ege_passed = models.PositiveIntegerField(_("passed ЕГЭ"), default=0)
    ege_total = models.PositiveIntegerField(_("sat ЕГЭ"), default=0)
    average_mark = models.DecimalField(
        _("average mark"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    success_rate = models.PositiveSmallIntegerField(
        _("success rate, %"), null=True, blank=True, help_text=_("Share of students without «2».")
    )
    olympiad_participants = models.PositiveIntegerField(_("olympiad participants"), default=0)
    olympiad_winners = models.PositiveIntegerField(
        _("olympiad winners and prize-winners"), default=0
    )
    projects = models.PositiveIntegerField(_("projects with the mentee"), default=0)
    projects_note = models.TextField(_("projects: what and with what effect"), blank=True)
    open_lessons = models.PositiveIntegerField(_("open lessons"), default=0)
    contests = models.PositiveIntegerField(_("professional contests"), default=0)
    publications = models.PositiveIntegerField(_("publications"), default=0)
    talks = models.PositiveIntegerField(_("talks at seminars and councils"), default=0)
    methodical_work = models.PositiveIntegerField(
        _("methodical association work"), default=0, help_text=_("Tasks done in the МО.")
    )
    risks = models.TextField(_("risks noted"), blank=True)
    entered_as = models.CharField(_("entered by"), max_length=8, choices=EnteredAs.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,  # a deleted user's entries stay editable
        related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgressEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage 1 entry")
        verbose_name_plural = _("stage 1 entries")
        ordering = ["program", "academic_year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "academic_year", "period"],
                name="progress_entry_unique_period",
                violation_error_message=_("This period is already entered for the program."),
            ),
            models.CheckConstraint(
                condition=Q(vpr_passed__lte=models.F("vpr_total"))
                & Q(oge_passed__lte=models.F("oge_total"))
                & Q(ege_passed__lte=models.F("ege_total")),
                name="progress_entry_passed_within_total",
                violation_error_message=_("More students passed than took the exam."),
            ),
            models.CheckConstraint(
                condition=Q(olympiad_winners__lte=models.F("olympiad_participants")),
                name="progress_entry_winners_within_participants",
                violation_error_message=_("More winners than participants."),
            ),
            models.CheckConstraint(
                condition=Q(average_mark__isnull=True)
                | Q(average_mark__gte=1, average_mark__lte=5),
                name="progress_entry_mark_range",
                violation_error_message=_("The average mark is from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(success_rate__isnull=True) | Q(success_rate__lte=100),
                name="progress_entry_rate_range",
                violation_error_message=_("The success rate is from 0 to 100 %%."),  # %-formatted
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.academic_year}, {self.get_period_display()}"

    @property
    def activity_total(self) -> int:
        return (
            self.open_lessons
            + self.contests
            + self.publications
            + self.talks
            + self.methodical_work
        )


# Stage 2: surveys -----------------------------------------------------------------------------


class SurveyRespondent(models.TextChoices):
    MENTEE = "mentee", _("mentee")
    MENTOR = "mentor", _("mentor")


class SurveyStage(models.TextChoices):
    START = "start", _("at the start")
    MIDDLE = "middle", _("in the middle")
    END = "end", _("at the end")


class Measure(models.TextChoices):
    """What a question measures: the stage-2 indicators of section 5."""

    MOTIVATION = "motivation", _("motivation and awareness of self-development")
    INNOVATION = "innovation", _("inclusion in innovative work")
    ADAPTATION_QUALITY = "adaptation_quality", _("quality of adaptation")
    ADAPTATION_PACE = "adaptation_pace", _("pace of adaptation")
    SATISFACTION = "satisfaction", _("satisfaction")
    PLANS_MENTOR = "plans_mentor", _("plans to become a mentor")
    PLANS_MENTEE = "plans_mentee", _("plans to become a mentee")


YES_NO_MEASURES = (Measure.PLANS_MENTOR, Measure.PLANS_MENTEE)
SCALE_MAX = 5


class SurveyQuestionQuerySet(models.QuerySet):
    def active(self) -> SurveyQuestionQuerySet:
        return self.filter(is_active=True)

    def for_respondent(self, respondent: str) -> SurveyQuestionQuerySet:
        return self.active().filter(respondent=respondent).order_by("sort_order", "pk")


class SurveyQuestion(models.Model):
    """A question of the stage-2 survey (reference data the coordinator edits). Scale
    questions are answered 1–5, the plans questions yes or no."""

    respondent = models.CharField(_("who answers"), max_length=8, choices=SurveyRespondent.choices)
    measure = models.CharField(_("what it measures"), max_length=20, choices=Measure.choices)
    text = models.CharField(_("question"), max_length=400)
    sort_order = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "order"), default=0)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("A question no longer in use stays in old answers.")
    )

    objects = SurveyQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["respondent", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_yes_no(self) -> bool:
        return self.measure in YES_NO_MEASURES


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user) -> SurveyQuerySet:
        return self.filter(program__in=Program.objects.visible_to(user))


class Survey(models.Model):
    """One filled stage-2 questionnaire: a program's mentee or mentor, at the start or the end."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("program")
    )
    respondent = models.CharField(_("who answers"), max_length=8, choices=SurveyRespondent.choices)
    stage = models.CharField(_("stage"), max_length=8, choices=SurveyStage.choices)
    filled_on = models.DateField(_("filled on"))
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("filled by"),
    )
    # Set when the surveys of the program are saved (monitoring.surveys.satisfaction_refresh)
    # to the program's pair when a satisfaction answer here is lower than the same person's
    # at an earlier point, empty otherwise. Pair health reads it straight by the pair (a small
    # partial index), so a region's lists neither compare answers nor join programs.
    satisfaction_fell_pair = models.ForeignKey(
        Pair,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        db_index=False,
        related_name="+",
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["program", "respondent", "stage"]
        indexes = [
            models.Index(
                fields=["satisfaction_fell_pair"],
                condition=Q(satisfaction_fell_pair__isnull=False),
                name="survey_satisfaction_fell",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "respondent", "stage"],
                name="survey_unique_stage",
                violation_error_message=_("This survey is already filled."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_respondent_display()}, {self.get_stage_display()}: {self.program}"


class SurveyAnswer(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="answers", verbose_name=_("survey")
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    value = models.PositiveSmallIntegerField(_("answer"))

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "question"],
                name="survey_answer_unique_question",
                violation_error_message=_("This question is already answered."),
            ),
            models.CheckConstraint(
                condition=Q(value__lte=SCALE_MAX),
                name="survey_answer_value_range",
                violation_error_message=_("The answer is from 1 to 5 (yes = 1, no = 0)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


# Satisfaction answers and free comments are anonymous: pages, exports and reports show them
# only as aggregates of at least this many answers (a mean of one or two answers would name
# the person who gave it).
ANONYMOUS_FROM = 3


class SurveyCommentQuerySet(models.QuerySet):
    def visible_to(self, user) -> SurveyCommentQuerySet:
        condition = committee_or_managed_q(user)
        return self if condition is None else self.filter(condition)


class SurveyComment(models.Model):
    """A free comment of a stage-2 questionnaire, kept apart from it: only the registering
    organization and the academic year stay, not the pair, the person, the stage or the day,
    so no page can tell who wrote it. Shown only where at least `ANONYMOUS_FROM` exist."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="survey_comments",
        verbose_name=_("organization"),
    )
    academic_year = models.CharField(_("academic year"), max_length=9)
    text = models.TextField(_("comment"), max_length=2000)

    objects = SurveyCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment of a survey")
        verbose_name_plural = _("comments of surveys")
        # Never in the order they were written: that order would match the surveys' dates.
        ordering = ["text"]
        indexes = [models.Index(fields=["organization", "academic_year"])]

    def __str__(self) -> str:
        return self.text[:60]


class OrderQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrderQuerySet:
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        return self.filter(municipality_id__in=scope_municipalities(scope))

    def current(self) -> OrderQuerySet:
        """Orders not archived."""
        return self.filter(archived_at__isnull=True)

    def applying_to(self, organization: Organization) -> OrderQuerySet:
        """Orders binding the organization: those naming it, and those of its municipality for
        every organization or for its kind (when they name no organization)."""
        general = Q(organizations__isnull=True) & (
            Q(organization_kind="") | Q(organization_kind=organization.kind)
        )
        return self.filter(
            Q(municipality_id=organization.municipality_id)
            & (general | Q(organizations=organization))
        ).distinct()


class Order(models.Model):
    """An order of the committee that sets deadlines (No. 182 of 12.05.2022 adopted the
    Положение): number, date, title, points with deadlines, and to whom it applies — every
    organization of the municipality, one kind of them, or the organizations named (those
    that joined later get their own order with their own dates)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="orders",
        verbose_name=_("municipality"),
    )
    number = models.CharField(_("number"), max_length=50)
    signed_on = models.DateField(_("date of the order"))
    title = models.CharField(_("title"), max_length=500)
    organization_kind = models.CharField(
        _("kind of organizations"),
        max_length=16,
        choices=OrganizationKind.choices,
        blank=True,
        help_text=_("Empty: the order applies to every kind."),
    )
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="orders",
        verbose_name=_("organizations"),
        help_text=_(
            "Only these organizations, when chosen (for instance, those that joined later)."
        ),
    )
    # An order is archived, never deleted: an archived order binds nobody any more, and the
    # change log keeps what it said.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order of the committee")
        verbose_name_plural = _("orders of the committee")
        ordering = ["municipality", "signed_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number", "signed_on"],
                name="order_unique_number",
                violation_error_message=_("This order is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return str(
            _("Order No. %(number)s of %(date)s")
            % {"number": self.number, "date": day_text(self.signed_on)}
        )


class OrderPoint(models.Model):
    """A point of an order with its deadline."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="points", verbose_name=_("order")
    )
    kind = models.CharField(_("deadline"), max_length=24, choices=DeadlineKind.choices)
    due_on = models.DateField(_("due date"))

    class Meta:
        verbose_name = _("point of an order")
        verbose_name_plural = _("points of orders")
        ordering = ["order", "due_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind"],
                name="order_point_unique_kind",
                violation_error_message=_("The order already has this deadline."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}: {self.get_kind_display()} {self.due_on:%d.%m.%Y}"


# Facts behind the dashboards -----------------------------------------------------------------


class CountedState(models.Model):
    """When a summary was last counted, as of which date, and since when a record feeding it
    has changed (the refresh job recounts the dirty ones)."""

    computed_at = models.DateTimeField(_("computed at"))
    as_of = models.DateField(_("counted as of"))
    dirty_since = models.DateTimeField(_("changed since"), null=True, blank=True)

    class Meta:
        abstract = True


class FactState(CountedState):
    """When an organization's facts were last computed, and whether a record feeding them has
    changed since (the refresh job recomputes the dirty ones)."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="fact_state",
        verbose_name=_("organization"),
    )
    # registry.definitions_version() the facts were computed with: a changed or added
    # indicator makes every organization's facts out of date.
    definitions = models.CharField(_("definitions version"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("facts state")
        verbose_name_plural = _("facts states")

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.computed_at:%d.%m.%Y %H:%M}"


class IndicatorFact(models.Model):
    """One additive component of a registry indicator group for one organization and academic
    year (`pairs.groups`, `programs.due`, `meetings.pair_days`, …), optionally broken down by
    a dimension (a month, a form of mentoring, a period). A scope's value is the sum over its
    organizations; shares and means are rebuilt from their summed numerators and denominators."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    academic_year = models.CharField(_("academic year"), max_length=9)
    code = models.CharField(_("code"), max_length=64)
    dimension = models.CharField(_("dimension"), max_length=200, blank=True, default="")
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("indicator fact")
        verbose_name_plural = _("indicator facts")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "academic_year", "code", "dimension"],
                name="indicator_fact_unique",
            )
        ]
        # The unique constraint's index (organization, year, …) serves every read: a scope
        # reads its organizations' rows of a few years.

    def __str__(self) -> str:
        return f"{self.organization_id} {self.academic_year} {self.code} {self.dimension}"


class MunicipalityFacts(CountedState):
    """A municipality's counts that are not sums over its organizations (distinct people
    across its organizations, events shared by them, incentive payments), by academic year,
    counted from the records by `facts.refresh_municipalities` after its organizations' facts:
    the regional dashboard reads them with the municipalities instead of recounting the
    region's records on every view."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="fact_counts",
        verbose_name=_("municipality"),
    )
    # {academic year: {count name: number}}, the names of `facts.with_exact_values`.
    values = models.JSONField(_("values"), default=dict)

    class Meta:
        verbose_name = _("municipality facts")
        verbose_name_plural = _("municipality facts")

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.computed_at:%d.%m.%Y %H:%M}"
