"""Mentors and their bank, the yearly list of who needs a mentor, pairs and groups, meetings."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import choice_label
from core.uploads import upload_to
from core.urls import reverse_pk
from orgs.models import (
    Employment,
    Organization,
    Person,
    scope_municipalities,
    user_scope,
)
from orgs.visibility import REGION_WIDE, in_organizations, official_organization_ids, union_of

QUIET_PAIR_DAYS = 30
ENDING_SOON_DAYS = 30
GROUP_KIND_CODE = "v_gruppe"
ONE_TO_ONE_KIND_CODE = "tradicionnoe"


def academic_year_of(date: datetime.date) -> str:
    """The academic year a date belongs to: it starts on 1 September ("2026/2027")."""
    start = date.year if date.month >= 9 else date.year - 1
    return f"{start}/{start + 1}"


# Reference data ---------------------------------------------------------------------------


class FormType(models.TextChoices):
    FORM = "form", _("form of mentoring")
    KIND = "kind", _("kind of mentoring")


class MentoringForm(models.Model):
    """A form or a kind of mentoring (section 4.1.5), loaded from data/mentoring_forms.csv."""

    type = models.CharField(_("type"), max_length=8, choices=FormType.choices)
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(pgettext_lazy("mentoring form", "name"), max_length=300)
    meaning = models.CharField(_("meaning"), max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("form or kind of mentoring")
        verbose_name_plural = _("forms and kinds of mentoring")
        ordering = ["type", "sort_order"]

    def __str__(self) -> str:
        return self.name


# Mentors --------------------------------------------------------------------------------


class Topic(models.TextChoices):
    SUBJECT = "subject", _("subject content")
    METHODS = "methods", _("teaching methods")
    UPBRINGING = "upbringing", _("upbringing work")
    LESSONS = "lessons", _("lesson and after-school organization")
    PSYCHOLOGY = "psychology", _("psychological support")
    PARENTS = "parents", _("work with parents")
    ADDITIONAL = "additional", pgettext_lazy("mentor topic", "additional education")
    OTHER = "other", _("other")


class PairStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("pair status", "draft")
    ACTIVE = "active", pgettext_lazy("pair status", "active")
    COMPLETED = "completed", pgettext_lazy("pair status", "completed")
    ENDED_EARLY = "ended_early", pgettext_lazy("pair status", "ended early")


ONGOING = (PairStatus.DRAFT, PairStatus.ACTIVE)


class MentorProfileQuerySet(models.QuerySet):
    def visible_to(self, user) -> MentorProfileQuerySet:
        """The municipal bank for the committee and officials; one's own profile for a mentor."""
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        q = Q(organization__municipality_id__in=scope_municipalities(scope))
        if scope.person_id:
            q |= Q(person_id=scope.person_id)
        return self.filter(q)

    def with_load(self) -> MentorProfileQuerySet:
        """`mentee_count` in ongoing pairs and `free_load`, one subquery per list."""
        mentees = (
            PairMentee.objects.counting_toward_load()
            .filter(pair__mentor_id=OuterRef("person_id"))
            .order_by()
            .values("pair__mentor_id")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(
            mentee_count=Coalesce(Subquery(mentees, output_field=IntegerField()), Value(0))
        ).annotate(free_load=F("max_mentees") - F("mentee_count"))

    def for_list(self) -> MentorProfileQuerySet:
        return (
            self.with_load()
            .select_related("person", "organization")
            .prefetch_related(
                models.Prefetch(
                    "person__employments",
                    queryset=Employment.objects.active().select_related("position", "organization"),
                    to_attr="active_employments",
                )
            )
            .order_by("person__search_key", "pk")
        )

    def active(self) -> MentorProfileQuerySet:
        return self.filter(is_active=True)


class MentorProfile(models.Model):
    """A teacher in the municipal bank of mentors (3.1, 4.1.5) with confirmed results."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="mentor_profile", verbose_name=_("teacher")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="mentor_profiles",
        verbose_name=_("organization"),
        help_text=_("Where the mentor mainly works; its curator keeps the profile."),
    )
    results = models.TextField(
        _("confirmed results"),
        help_text=_(
            "Measurable positive results of the teacher's work: contests, categories, "
            "students' results, methodical products."
        ),
    )
    evidence = models.FileField(
        _("evidence"), upload_to=upload_to("mentoring/evidence"), blank=True, max_length=200
    )
    evidence_name = models.CharField(max_length=255, blank=True, editable=False)
    topics = ArrayField(
        models.CharField(max_length=16, choices=Topic.choices),
        verbose_name=_("topics"),
        default=list,
        blank=True,
    )
    max_mentees = models.PositiveSmallIntegerField(
        _("maximum number of mentees"), default=2, help_text=_("How many mentees at once.")
    )
    is_active = models.BooleanField(_("takes mentees"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_mentees__gte=1),
                name="mentor_profile_max_mentees_positive",
                violation_error_message=_("A mentor takes at least one mentee."),
            )
        ]

    def __str__(self) -> str:
        return str(self.person)

    def get_absolute_url(self) -> str:
        return reverse("mentoring:mentor_detail", args=[self.pk])

    def get_additional_data(self) -> dict:
        """Stored with every audit entry, so the coordinator's log can be scoped."""
        return {"person_id": self.person_id, "organization_id": self.organization_id}

    def get_topics_display(self) -> str:
        labels = dict(Topic.choices)
        return ", ".join(str(labels.get(topic, topic)) for topic in self.topics)


# Needs list -----------------------------------------------------------------------------


class NeedReason(models.TextChoices):
    YOUNG_SPECIALIST = "young_specialist", _("young specialist")
    NEWCOMER = "newcomer", _("new to the organization")
    NEW_POSITION = "new_position", _("new position")
    AFTER_ATTESTATION = "after_attestation", _("after attestation")
    OWN_REQUEST = "own_request", _("at their own request")
    OTHER = "other", _("other")


class DismissReason(models.TextChoices):
    HAS_MENTOR = "has_mentor", _("already has a mentor or support")
    EXPERIENCED = "experienced", _("enough experience in the position")
    LEAVING = "leaving", _("leaving the organization")
    LONG_LEAVE = "long_leave", _("long leave")
    REFUSED = "refused", _("refused in writing")
    OTHER = "other", _("other")


class EndReason(models.TextChoices):
    MENTEE_LEFT = "mentee_left", _("the mentee left the organization")
    MENTOR_LEFT = "mentor_left", _("the mentor left the organization")
    LONG_LEAVE = "long_leave", _("long leave of a participant")
    GOALS_REACHED = "goals_reached", _("the goals were reached ahead of time")
    INCOMPATIBLE = "incompatible", _("the participants could not work together")
    HEALTH = "health", _("a participant's health")
    OTHER = "other", _("other")


class NeedStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("need status", "proposed")
    CONFIRMED = "confirmed", pgettext_lazy("need status", "confirmed")
    DISMISSED = "dismissed", pgettext_lazy("need status", "dismissed")


class NeedsListQuerySet(models.QuerySet):
    def visible_to(self, user) -> NeedsListQuerySet:
        organizations = official_organization_ids(user)
        if organizations is None:
            return self
        return self.filter(in_organizations("organization_id", organizations))

    def stale(self, today: datetime.date) -> NeedsListQuerySet:
        """Lists older than their municipality's period (Municipality.needs_list_period_days)."""
        return self.filter(updated_on__lt=stale_before(today, "organization__municipality__"))


class NeedsList(models.Model):
    """Who needs a mentor in an organization in an academic year (curator's update, 4.1.3)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="needs_lists",
        verbose_name=_("organization"),
    )
    academic_year = models.CharField(_("academic year"), max_length=9)
    updated_on = models.DateField(_("last updated"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    objects = NeedsListQuerySet.as_manager()

    class Meta:
        verbose_name = _("needs list")
        verbose_name_plural = _("needs lists")
        ordering = ["organization__sort_key", "-academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "academic_year"],
                name="needs_list_unique_year",
                violation_error_message=_("This organization already has a list for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.academic_year}"

    def is_stale(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        period = self.organization.municipality.needs_list_period_days
        return self.updated_on is None or self.updated_on < today - datetime.timedelta(days=period)


def stale_before(today: datetime.date, municipality: str = "municipality__"):
    """The date before which a needs list is stale: today less the municipality's period."""
    period = ExpressionWrapper(
        F(f"{municipality}needs_list_period_days") * Value(datetime.timedelta(days=1)),
        output_field=DurationField(),
    )
    return ExpressionWrapper(
        Value(today, output_field=DateField()) - period, output_field=DateField()
    )


def organizations_with_stale_needs(organizations, today: datetime.date):
    """Organizations whose needs list is older than their municipality's period, or missing."""
    return organizations.annotate(needs_updated_on=Max("needs_lists__updated_on")).filter(
        _stale_needs(today)
    )


def _stale_needs(today: datetime.date) -> Q:
    return Q(needs_updated_on__isnull=True) | Q(needs_updated_on__lt=stale_before(today))


def with_needs_state(organizations, today: datetime.date):
    """Annotate `needs_stale` (as `organizations_with_stale_needs` decides it) and
    `needs_proposed` (this year's entries waiting for the curator's decision) with
    subqueries, so that they ride on the query of the organizations themselves."""
    updated = (
        NeedsList.objects.filter(organization_id=OuterRef("pk"))
        .order_by()
        .values("organization_id")
        .annotate(last=Max("updated_on"))
        .values("last")
    )
    proposed = (
        NeedEntry.objects.filter(
            needs_list__organization_id=OuterRef("pk"),
            needs_list__academic_year=academic_year_of(today),
            status=NeedStatus.PROPOSED,
        )
        .order_by()
        .values("needs_list__organization_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return organizations.annotate(
        needs_updated_on=Subquery(updated, output_field=DateField()),
        needs_proposed=Coalesce(Subquery(proposed, output_field=IntegerField()), 0),
    ).annotate(needs_stale=ExpressionWrapper(_stale_needs(today), output_field=BooleanField()))


class NeedEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> NeedEntryQuerySet:
        return self.filter(needs_list__in=NeedsList.objects.visible_to(user))

    def for_list(self) -> NeedEntryQuerySet:
        in_pair = PairMentee.objects.filter(
            person_id=OuterRef("person_id"), pair__status__in=ONGOING
        )
        return (
            self.select_related("person", "needs_list__organization", "decided_by")
            .annotate(in_pair=Exists(in_pair))
            .order_by("person__search_key", "pk")
        )


class NeedEntry(models.Model):
    """One teacher on a needs list, with the reason and the curator's decision."""

    needs_list = models.ForeignKey(
        NeedsList, on_delete=models.CASCADE, related_name="entries", verbose_name=_("needs list")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="need_entries", verbose_name=_("teacher")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=NeedReason.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.PROPOSED
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    dismiss_reason = models.CharField(
        _("reason for dismissing"), max_length=16, choices=DismissReason.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NeedEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("needs list entry")
        verbose_name_plural = _("needs list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["needs_list", "person"],
                name="need_entry_unique_person",
                violation_error_message=_("This teacher is already on the list."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_reason_display()})"

    def get_additional_data(self) -> dict:
        return {"person_id": self.person_id, "organization_id": self.needs_list.organization_id}


# Pairs and groups ---------------------------------------------------------------------------


class PairQuerySet(models.QuerySet):
    def visible_to(self, user) -> PairQuerySet:
        """The registering organization's officials and the committee over it, the mentor and
        the mentees. Access follows the organization that holds the pair, never an employer
        of a person in it (a school cannot reach another's pair by hiring its mentee)."""
        organizations = official_organization_ids(user)
        if organizations is None:
            return self
        person = user_scope(user).person_id
        if not person:
            return self.filter(in_organizations("organization_id", organizations))
        # UNION, not OR: each branch is read through its own index.
        own = union_of(
            Pair.objects.filter(in_organizations("organization_id", organizations)).values("pk")
            if organizations
            else None,
            Pair.objects.filter(mentor_id=person).values("pk"),
            PairMentee.objects.filter(person_id=person).values("pair_id"),
        )
        return self.filter(pk__in=own)

    def active(self) -> PairQuerySet:
        return self.filter(status=PairStatus.ACTIVE)

    def ongoing(self) -> PairQuerySet:
        return self.filter(status__in=ONGOING)

    def with_last_meeting(self) -> PairQuerySet:
        return self.annotate(last_meeting_at=meeting_columns()["last_meeting_at"])

    def quiet(self, now: datetime.datetime) -> PairQuerySet:
        """Active pairs without a meeting in the last 30 days (and started over 30 days ago)."""
        since = now - datetime.timedelta(days=QUIET_PAIR_DAYS)
        recent = Meeting.objects.filter(pair_id=OuterRef("pk"), held_at__gte=since)
        return self.active().filter(planned_start__lt=since.date()).exclude(Exists(recent))

    def ending_soon(self, today: datetime.date) -> PairQuerySet:
        return self.active().filter(
            planned_end__gte=today,
            planned_end__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS),
        )

    def for_list(self) -> PairQuerySet:
        return (
            self.select_related("mentor", "organization", "form", "kind")
            .prefetch_related(
                models.Prefetch(
                    "memberships",
                    # `mentee_list` names them: the names are all a pair's lines read.
                    queryset=PairMentee.objects.select_related("person")
                    .only("pair", *Person.name_fields("person"))
                    .order_by("person__search_key"),
                    to_attr="mentee_rows",
                )
            )
            .annotate(**meeting_columns())
            .order_by("-planned_start", "pk")
        )


def meeting_columns(pair: str = "pk") -> dict:
    """Meeting count and last meeting of each pair as correlated subqueries, not a GROUP BY
    over a join: PostgreSQL evaluates them after ORDER BY … LIMIT, for the rows of the page
    only, each from the index on (pair, held_at)."""
    meetings = Meeting.objects.filter(pair_id=OuterRef(pair)).order_by().values("pair_id")
    return {
        "last_meeting_at": Subquery(meetings.annotate(last=Max("held_at")).values("last")),
        "meeting_count": Coalesce(
            Subquery(meetings.annotate(count=Count("pk")).values("count")), 0
        ),
    }


class Pair(models.Model):
    """A mentor and one mentee (a pair) or two and more (a group), fixed by the head's order."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="pairs",
        verbose_name=_("registering organization"),
    )
    mentor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="mentored_pairs", verbose_name=_("mentor")
    )
    mentees = models.ManyToManyField(
        Person, through="PairMentee", related_name="mentee_pairs", verbose_name=_("mentees")
    )
    form = models.ForeignKey(
        MentoringForm,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"type": FormType.FORM},
        verbose_name=_("form"),
    )
    kind = models.ForeignKey(
        MentoringForm,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"type": FormType.KIND},
        verbose_name=pgettext_lazy("mentoring", "kind"),
    )
    topic = models.CharField(_("direction and topic"), max_length=300)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    order_number = models.CharField(_("order number"), max_length=50, blank=True)
    order_date = models.DateField(_("order date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PairStatus.choices, default=PairStatus.DRAFT
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason_code = models.CharField(
        _("reason for ending early"), max_length=16, choices=EndReason.choices, blank=True
    )
    suggestion_rank = models.PositiveSmallIntegerField(
        _("place among the suggested mentors"),
        null=True,
        blank=True,
        help_text=_("Set when the curator took the mentor from the portal's suggestions."),
    )
    end_reason = models.TextField(_("reason for ending early"), blank=True)
    second_pair_reason = models.CharField(
        _("reason for a second current pair"),
        max_length=300,
        blank=True,
        help_text=_(
            "A mentee has one current pair; a second one (for example a group besides an "
            "individual pair) only with the curator's reason."
        ),
    )
    # «Принцип добровольности»: the mentor's written agreement to take part, and who entered it.
    mentor_agreed_on = models.DateField(_("mentor's voluntary agreement"), null=True, blank=True)
    mentor_agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement recorded by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(
        _("archived at"),
        null=True,
        blank=True,
        help_text=_("An archived pair is out of the work lists; its records stay readable."),
    )

    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = _("pair or group")
        verbose_name_plural = _("pairs and groups")
        ordering = ["-planned_start", "pk"]
        indexes = [
            # The pair lists of an organization or a set of them, newest first.
            models.Index(fields=["organization", "-planned_start"], name="pair_org_recent"),
            # The region-wide list, newest first: only a list that says it reads the whole
            # region (orgs.visibility.region_wide) can use it.
            models.Index(
                fields=["-planned_start", "id"], condition=REGION_WIDE, name="pair_region_recent"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("planned_start")),
                name="pair_end_after_start",
                violation_error_message=_("The planned end must be after the planned start."),
            ),
            models.CheckConstraint(
                condition=~Q(status=PairStatus.ENDED_EARLY) | ~Q(end_reason=""),
                name="pair_ended_early_has_reason",
                violation_error_message=_("Give the reason for ending early."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor.short_name}: {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse_pk("mentoring:pair_detail", self.pk)

    STATUS_BADGES = {
        PairStatus.ACTIVE: "text-bg-success",
        PairStatus.DRAFT: "text-bg-secondary",
        PairStatus.COMPLETED: "text-bg-primary",
    }

    @property
    def status_label(self) -> str:
        """`get_status_display()` without its per-call rebuild of the choices (lists)."""
        return choice_label(PairStatus, self.status)

    @property
    def status_badge(self) -> str:
        """The Bootstrap class of the status badge (pair_status.html and the pair lists)."""
        return self.STATUS_BADGES.get(self.status, "text-bg-warning")

    def get_additional_data(self) -> dict:
        """Stored with every audit entry, so the coordinator's log can be scoped."""
        return {"person_id": self.mentor_id, "organization_id": self.organization_id}

    @property
    def mentee_list(self) -> list[Person]:
        rows = getattr(self, "mentee_rows", None)
        if rows is None:
            rows = self.memberships.select_related("person").order_by("person__search_key")
        return [row.person for row in rows]

    @property
    def is_group(self) -> bool:
        return len(self.mentee_list) > 1


class PairMenteeQuerySet(models.QuerySet):
    def counting_toward_load(self) -> PairMenteeQuerySet:
        """The one definition of a mentor's load: mentees in draft and active pairs."""
        return self.filter(pair__status__in=ONGOING)


class PairMentee(models.Model):
    pair = models.ForeignKey(
        Pair, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("pair")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="pair_memberships", verbose_name=_("mentee")
    )
    agreed_on = models.DateField(_("mentee's voluntary agreement"), null=True, blank=True)
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement recorded by"),
    )

    objects = PairMenteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentee of a pair")
        verbose_name_plural = _("mentees of pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "person"],
                name="pair_mentee_unique",
                violation_error_message=_("This mentee is already in the pair."),
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class PairEventAction(models.TextChoices):
    REGISTERED = "registered", _("registered")
    EDITED = "edited", _("edited")
    ACTIVATED = "activated", _("activated")
    COMPLETED = "completed", _("completed")
    ENDED_EARLY = "ended_early", _("ended early")
    ARCHIVED = "archived", _("archived")


class PairEvent(models.Model):
    """The pair's history: who changed what and when."""

    pair = models.ForeignKey(
        Pair, on_delete=models.PROTECT, related_name="events", verbose_name=_("pair")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=16, choices=PairEventAction.choices)
    details = models.TextField(_("details"), blank=True)

    class Meta:
        verbose_name = _("pair history entry")
        verbose_name_plural = _("pair history")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_action_display()}"


# Meetings ---------------------------------------------------------------------------------


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        if official_organization_ids(user) is None:
            return self  # every pair: no semi-join over the whole table
        return self.filter(pair__in=Pair.objects.visible_to(user))

    def for_list(self) -> MeetingQuerySet:
        return (
            self.select_related("pair__mentor", "pair__organization")
            .prefetch_related(
                models.Prefetch(
                    "attendances",
                    # `attendance_list` reads who came (names) and who confirmed it.
                    queryset=MeetingAttendance.objects.select_related("person")
                    .only("meeting", "confirmed_at", *Person.name_fields("person"))
                    .order_by("person__search_key"),
                    to_attr="attendance_rows",
                ),
                models.Prefetch("files", to_attr="file_rows"),
            )
            .order_by("-held_at", "pk")
        )


class Meeting(models.Model):
    """A meeting of a pair or group, logged by its mentor."""

    pair = models.ForeignKey(
        Pair, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("pair")
    )
    held_at = models.DateTimeField(_("date and time"))
    format = models.CharField(
        _("format"), max_length=12, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    link = models.URLField(_("link"), blank=True, max_length=500)
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"), default=45)
    topic = models.CharField(_("topic"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    attended = models.ManyToManyField(
        Person,
        through="MeetingAttendance",
        related_name="attended_meetings",
        verbose_name=_("attended"),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_at", "pk"]
        indexes = [
            # Count and last meeting of a pair; a pair's meetings by date.
            models.Index(fields=["pair", "held_at"], name="meeting_pair_held_at"),
            # The region-wide list, newest first (orgs.visibility.region_wide).
            models.Index(
                fields=["-held_at", "id"], condition=REGION_WIDE, name="meeting_region_recent"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(format=MeetingFormat.ONLINE) | ~Q(link=""),
                name="meeting_online_has_link",
                violation_error_message=_("An online meeting needs a link."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=600),
                name="meeting_duration_range",
                violation_error_message=_("The duration is from 1 to 600 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.held_at):%d.%m.%Y %H:%M} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse_pk("mentoring:pair_detail", self.pair_id) + f"#meeting-{self.pk}"

    @property
    def format_label(self) -> str:
        """`get_format_display()` without its per-call rebuild of the choices (lists)."""
        return choice_label(MeetingFormat, self.format)

    @property
    def attendance_list(self) -> list[MeetingAttendance]:
        rows = getattr(self, "attendance_rows", None)
        if rows is None:
            rows = list(self.attendances.select_related("person").order_by("person__search_key"))
        return rows

    @property
    def is_confirmed(self) -> bool:
        rows = self.attendance_list
        return bool(rows) and all(row.confirmed_at for row in rows)


class MeetingAttendance(models.Model):
    """A mentee who attended a meeting, and when they confirmed it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
        verbose_name=_("mentee"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="meeting_attendance_unique",
                violation_error_message=_("This mentee is already marked."),
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class MeetingFile(models.Model):
    """A file attached to a meeting; stored under a random name, served through a view."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="files", verbose_name=_("meeting")
    )
    file = models.FileField(_("file"), upload_to=upload_to("mentoring/meetings"), max_length=200)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size, bytes"), default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting file")
        verbose_name_plural = _("meeting files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mentoring:meeting_file", args=[self.pk])
