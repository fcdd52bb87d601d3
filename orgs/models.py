"""Municipalities, organizations, teachers and their employment, users and their roles."""

from __future__ import annotations

import datetime
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import normalize
from core.urls import reverse_pk
from orgs.scope import UserScope

YOUNG_SPECIALIST_YEARS = 3
NEWCOMER_DAYS = 365
# Attested within this many days (or failed the last attestation): proposed for mentoring.
ATTESTATION_DAYS = 365


def years_ago(years: int, today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


# Положение 4.1.3: the curator updates the list of those who need a mentor every year. The one
# source of the period: the dashboard, the curator's home, the needs badge and the reminders
# all read Municipality.needs_list_period_days.
NEEDS_LIST_PERIOD_DAYS = 365


class Region(models.Model):
    """A subject of the federation (Алтайский край) above its municipalities: its regional
    coordinator reads every municipality of it, and its annual report is signed here."""

    name = models.CharField(pgettext_lazy("official name", "name"), max_length=200, unique=True)
    authority_name = models.CharField(
        _("regional education authority"),
        max_length=300,
        blank=True,
        help_text=_("As printed on the regional report: Министерство образования и науки …"),
    )
    head_name = models.CharField(
        _("head of the authority"),
        max_length=200,
        blank=True,
        help_text=_("Initials and surname, as signed: И. О. Фамилия."),
    )
    head_position = models.CharField(_("head's position"), max_length=300, blank=True)
    coordinator_name = models.CharField(
        _("regional coordinator"),
        max_length=200,
        blank=True,
        help_text=_("Initials and surname, as signed: И. О. Фамилия."),
    )
    coordinator_position = models.CharField(_("coordinator's position"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A district (муниципальный район) and its education committee."""

    name = models.CharField(pgettext_lazy("official name", "name"), max_length=200, unique=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("region"),
    )
    committee_name = models.CharField(_("education committee"), max_length=300, blank=True)
    needs_list_period_days = models.PositiveSmallIntegerField(
        _("needs list updated at least every, days"),
        default=NEEDS_LIST_PERIOD_DAYS,
        validators=[MinValueValidator(30), MaxValueValidator(730)],
        help_text=_(
            "The order asks for a yearly update; the coordinator may set a shorter period."
        ),
    )
    # Who signs the municipal documents (the annual report is approved by the chairman and
    # signed by the coordinator): «И. О. Фамилия» and the position as it is printed.
    chairman_name = models.CharField(
        _("chairman of the committee"),
        max_length=200,
        blank=True,
        help_text=_("Initials and surname, as signed: И. О. Фамилия."),
    )
    chairman_position = models.CharField(_("chairman's position"), max_length=300, blank=True)
    coordinator_name = models.CharField(
        _("municipal coordinator"),
        max_length=200,
        blank=True,
        help_text=_("Initials and surname, as signed: И. О. Фамилия."),
    )
    coordinator_position = models.CharField(_("coordinator's position"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationKind(models.TextChoices):
    PRESCHOOL = "preschool", _("preschool")
    GENERAL = "general", _("general education")
    ADDITIONAL = "additional", _("additional education")


def _search(queryset: models.QuerySet, field: str, text: str) -> models.QuerySet:
    """Every word of `text` appears in the normalized `field` (case and «ё» ignored)."""
    for word in normalize(text).split():
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


class OrganizationQuerySet(models.QuerySet):
    def search(self, text: str) -> OrganizationQuerySet:
        return _search(self, "sort_key", text)

    def visible_to(self, user) -> OrganizationQuerySet:
        """Organizations any of the user's roles covers."""
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        return self.filter(
            committee_q(scope) | Q(pk__in=scope.managed_organizations | scope.member_organizations)
        )

    def with_staff_counts(self, today: datetime.date | None = None) -> OrganizationQuerySet:
        """Annotate working staff, young specialists and newcomers (one query for a list)."""
        today = today or timezone.localdate()
        active = Q(employments__dismissed_on__isnull=True)
        young = Q(employments__person__teaching_since__gte=years_ago(YOUNG_SPECIALIST_YEARS, today))
        newcomer = Q(employments__hired_on__gt=today - datetime.timedelta(days=NEWCOMER_DAYS))
        # GROUP BY drops Meta.ordering, so the order is stated again.
        return self.annotate(
            staff_count=models.Count("employments", filter=active),
            young_count=models.Count("employments", filter=active & young),
            newcomer_count=models.Count("employments", filter=active & newcomer),
        ).order_by("sort_key", "pk")

    def with_staff_visible_to(self, user) -> OrganizationQuerySet:
        """Organizations whose staff list the user may read (committee, head, curator)."""
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        return self.filter(committee_q(scope) | Q(pk__in=scope.managed_organizations))


def committee_q(scope: UserScope, prefix: str = "") -> Q:
    """The committee part of a scope (coordinator, specialist) over `<prefix>municipality/kind`.

    Other apps pass the path to an organization, e.g. `committee_q(scope, "organization__")`.
    """
    q = Q(**{f"{prefix}municipality_id__in": scope.coordinated_municipalities})
    if scope.regional_municipalities:  # the regional coordinator reads the whole region
        q |= Q(**{f"{prefix}municipality_id__in": scope.regional_municipalities})
    for municipality_id, kind in scope.specialist_kinds:
        q |= Q(**{f"{prefix}municipality_id": municipality_id, f"{prefix}kind": kind})
    return q


class Organization(models.Model):
    """An educational organization of a municipality."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices)
    short_name = models.CharField(_("short name"), max_length=200)
    full_name = models.CharField(_("full name"), max_length=500)
    settlement = models.CharField(_("settlement"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    website = models.URLField(_("website"), blank=True)
    sort_key = models.CharField(max_length=200, editable=False, db_collation="C", db_index=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "short_name"],
                name="organization_short_name_unique",
                violation_error_message=_("An organization with this short name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args, **kwargs):
        self.sort_key = normalize(self.short_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("orgs:organization_detail", args=[self.pk])


class Position(models.Model):
    """A position from the national nomenclature (decree No. 678), loaded from data/positions.csv."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(pgettext_lazy("official name", "name"), max_length=300)
    group = models.CharField(_("group"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class QualificationCategory(models.TextChoices):
    NONE = "none", _("no category")
    COMPLIANCE = "compliance", _("compliance with the position")
    FIRST = "first", _("first")
    HIGHEST = "highest", _("highest")
    METHODIST = "methodist", _("teacher-methodologist")
    MENTOR = "mentor", _("teacher-mentor")


class AttestationResult(models.TextChoices):
    PASSED = "passed", _("category established")
    FAILED = "failed", _("category not established")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        """People employed (now or before) where the user reads the staff list, and oneself."""
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        orgs = Organization.objects.with_staff_visible_to(user)
        q = Q(pk__in=Employment.objects.filter(organization__in=orgs).values("person_id"))
        if scope.person_id:
            q |= Q(pk=scope.person_id)
        return self.filter(q)

    def search(self, text: str) -> PersonQuerySet:
        """Case- and «ё»-insensitive search by any part of the full name."""
        return _search(self, "search_key", text)


class Person(models.Model):
    """A pedagogical worker. Keeps only what mentoring needs (152-ФЗ): name, contacts, experience."""

    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Experience is entered in years and kept as the date it started, so it grows by itself.
    teaching_since = models.DateField(_("teaching experience since"), null=True, blank=True)
    career_since = models.DateField(_("total experience since"), null=True, blank=True)
    # The last attestation (a reason for mentoring under 1.1 of the Положение): its date and
    # whether the category was established.
    last_attested_on = models.DateField(_("date of the last attestation"), null=True, blank=True)
    attestation_result = models.CharField(
        _("result of the last attestation"),
        max_length=8,
        choices=AttestationResult.choices,
        blank=True,
    )
    is_student = models.BooleanField(
        _("student"),
        default=False,
        help_text=_("A student of a college or university preparing to work here (practice)."),
    )
    search_key = models.CharField(max_length=310, editable=False, db_collation="C", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        ordering = ["search_key"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_key = normalize(self.full_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse_pk("orgs:person_detail", self.pk)

    NAME_FIELDS = ("last_name", "first_name", "middle_name")

    @classmethod
    def name_fields(cls, path: str) -> tuple[str, ...]:
        """The fields `full_name` and `short_name` read, reached through `path` (`"mentor"`,
        `"pair__mentor"`): for lists that read only what they print (`QuerySet.only`)."""
        return tuple(f"{path}__{field}" for field in cls.NAME_FIELDS)

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.last_name, self.first_name, self.middle_name) if part
        )

    @property
    def short_name(self) -> str:
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.middle_name) if part)
        return f"{self.last_name} {initials}".strip()

    @property
    def teaching_years(self) -> int | None:
        return _whole_years_since(self.teaching_since)

    @property
    def career_years(self) -> int | None:
        return _whole_years_since(self.career_since)

    @property
    def is_young_specialist(self) -> bool:
        return self.is_young_specialist_on(timezone.localdate())

    def is_young_specialist_on(self, today: datetime.date) -> bool:
        """`EmploymentQuerySet.young_specialists` for one loaded person."""
        return self.teaching_since is not None and self.teaching_since >= years_ago(
            YOUNG_SPECIALIST_YEARS, today
        )

    def get_additional_data(self) -> dict:
        """Stored with every audit entry, so the coordinator's log can be scoped."""
        return {"person_id": self.pk}

    @property
    def consent_record(self) -> Consent | None:
        try:
            return self.consent
        except Consent.DoesNotExist:
            return None

    @property
    def has_consent(self) -> bool:
        record = self.consent_record
        return record is not None and record.withdrawn_on is None

    @property
    def consent_withdrawn(self) -> bool:
        """Withdrawn consent: her personal fields are shown to the administrator only."""
        record = self.consent_record
        return record is not None and record.withdrawn_on is not None

    def personal_fields_hidden_from(self, user) -> bool:
        return self.consent_withdrawn and not getattr(user, "is_superuser", False)


def _whole_years_since(start: datetime.date | None) -> int | None:
    if start is None:
        return None
    today = timezone.localdate()
    years = today.year - start.year - ((today.month, today.day) < (start.month, start.day))
    return max(years, 0)


class EmploymentQuerySet(models.QuerySet):
    def visible_to(self, user) -> EmploymentQuerySet:
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        q = Q(organization__in=Organization.objects.with_staff_visible_to(user))
        if scope.person_id:
            q |= Q(person_id=scope.person_id)
        return self.filter(q)

    def active(self) -> EmploymentQuerySet:
        return self.filter(dismissed_on__isnull=True)

    def search(self, text: str) -> EmploymentQuerySet:
        return _search(self, "person__search_key", text)

    def without_consent(self) -> EmploymentQuerySet:
        """People with no consent in force to the processing of their personal data."""
        return self.exclude(
            person__in=Consent.objects.filter(withdrawn_on__isnull=True).values("person_id")
        )

    def young_specialists(self, today: datetime.date | None = None) -> EmploymentQuerySet:
        today = today or timezone.localdate()
        return self.filter(person__teaching_since__gte=years_ago(YOUNG_SPECIALIST_YEARS, today))

    def newcomers(self, today: datetime.date | None = None) -> EmploymentQuerySet:
        today = today or timezone.localdate()
        return self.filter(hired_on__gt=today - datetime.timedelta(days=NEWCOMER_DAYS))

    def for_list(self) -> EmploymentQuerySet:
        return self.select_related("person__consent", "position", "organization").order_by(
            "person__search_key", "pk"
        )


class Employment(models.Model):
    """A person's job in an organization: one person may work in two organizations."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="employments", verbose_name=_("teacher")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="employments",
        verbose_name=_("organization"),
    )
    position = models.ForeignKey(Position, on_delete=models.PROTECT, verbose_name=_("position"))
    hired_on = models.DateField(_("hire date"))
    dismissed_on = models.DateField(_("dismissal date"), null=True, blank=True)
    qualification_category = models.CharField(
        _("qualification category"),
        max_length=16,
        choices=QualificationCategory.choices,
        default=QualificationCategory.NONE,
    )
    subjects = models.CharField(
        _("subjects"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, as in the staff schedule: «математика, информатика»."),
    )

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "position"],
                condition=Q(dismissed_on__isnull=True),
                name="employment_active_unique",
                violation_error_message=_(
                    "This teacher already holds this position in this organization."
                ),
            ),
            models.CheckConstraint(
                condition=Q(dismissed_on__isnull=True) | Q(dismissed_on__gte=models.F("hired_on")),
                name="employment_dismissed_after_hired",
                violation_error_message=_("The dismissal date cannot be before the hire date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.position}, {self.organization}"

    @property
    def is_active(self) -> bool:
        return self.dismissed_on is None

    @property
    def is_newcomer(self) -> bool:
        return self.is_newcomer_on(timezone.localdate())

    def is_newcomer_on(self, today: datetime.date) -> bool:
        """`EmploymentQuerySet.newcomers` for one loaded employment."""
        return self.hired_on > today - datetime.timedelta(days=NEWCOMER_DAYS)

    def get_additional_data(self) -> dict:
        return {"person_id": self.person_id, "organization_id": self.organization_id}


class User(AbstractUser):
    """A portal account. What it may see comes from its RoleAssignment rows."""

    person = models.OneToOneField(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("teacher record"),
        help_text=_("Links a mentor's or mentee's account to their record on the staff list."),
    )
    email_reminders = models.BooleanField(_("e-mail reminders"), default=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def scope(self) -> UserScope:
        return _scope_from_roles(self, self.scope_roles)

    def has_role(self, role: str) -> bool:
        return any(assignment.role == role for assignment in self.scope_roles)

    @property
    def is_mentor(self) -> bool:
        return self.has_role(Role.MENTOR)

    @property
    def is_mentee(self) -> bool:
        return self.has_role(Role.MENTEE)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def scope_roles(self) -> list[RoleAssignment]:
        return list(self.role_assignments.select_related("organization", "municipality", "region"))

    def can_view_staff(self, organization: Organization) -> bool:
        scope = self.scope
        return (
            scope.is_superuser
            or organization.municipality_id in scope.coordinated_municipalities
            or organization.municipality_id in scope.regional_municipalities
            or (organization.municipality_id, organization.kind) in scope.specialist_kinds
            or organization.pk in scope.managed_organizations
        )

    def can_manage_staff(self, organization: Organization) -> bool:
        scope = self.scope
        return scope.is_superuser or organization.pk in scope.managed_organizations

    @property
    def can_view_audit(self) -> bool:
        return self.scope.is_superuser or bool(self.scope.coordinated_municipalities)


class Role(models.TextChoices):
    REGIONAL = "regional", _("regional coordinator")
    COORDINATOR = "coordinator", _("municipal coordinator")
    SPECIALIST = "specialist", _("committee specialist")
    HEAD = "head", _("head of organization")
    CURATOR = "curator", _("curator")
    MENTOR = "mentor", _("mentor")
    MENTEE = "mentee", _("mentee")


ORGANIZATION_ROLES = (Role.HEAD, Role.CURATOR, Role.MENTOR, Role.MENTEE)


class RoleAssignment(models.Model):
    """One role of a user over a region, a municipality, a kind of organizations, or one
    organization."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("region"),
        help_text=_("For the regional coordinator only."),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("municipality"),
    )
    organization_kind = models.CharField(
        _("kind of organizations"), max_length=16, choices=OrganizationKind.choices, blank=True
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organization"),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "user",
                    "role",
                    "region",
                    "municipality",
                    "organization_kind",
                    "organization",
                ],
                nulls_distinct=False,
                name="role_assignment_unique",
                violation_error_message=_("This user already has this role."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        role="regional",
                        region__isnull=False,
                        municipality__isnull=True,
                        organization__isnull=True,
                        organization_kind="",
                    )
                    | Q(region__isnull=True, municipality__isnull=False)
                    & (
                        Q(role="coordinator", organization__isnull=True, organization_kind="")
                        | Q(role="specialist", organization__isnull=True) & ~Q(organization_kind="")
                        | Q(
                            role__in=[r.value for r in ORGANIZATION_ROLES],
                            organization__isnull=False,
                            organization_kind="",
                        )
                    )
                ),
                name="role_assignment_scope_matches_role",
                violation_error_message=_(
                    "A regional coordinator covers the region, a coordinator the "
                    "municipality, a specialist one kind of organizations, the other roles one "
                    "organization."
                ),
            ),
        ]

    def __str__(self) -> str:
        target = (
            self.organization
            or self.get_organization_kind_display()
            or self.municipality
            or self.region
        )
        return f"{self.get_role_display()}: {target}"

    def get_additional_data(self) -> dict:
        return {"organization_id": self.organization_id, "municipality_id": self.municipality_id}


def scope_municipalities(scope: UserScope) -> set[int]:
    """Municipalities a user works in as committee staff or an organization's official."""
    ids = set(scope.coordinated_municipalities)
    ids |= {municipality_id for municipality_id, _kind in scope.specialist_kinds}
    if scope.managed_organizations:
        ids |= set(
            Organization.objects.filter(pk__in=scope.managed_organizations).values_list(
                "municipality_id", flat=True
            )
        )
    return ids


def user_scope(user) -> UserScope:
    if not user.is_authenticated:
        return UserScope()
    return user.scope


def _scope_from_roles(user: User, assignments: list[RoleAssignment]) -> UserScope:
    def ids(*roles: str) -> frozenset[int]:
        return frozenset(a.organization_id for a in assignments if a.role in roles)

    regions = frozenset(a.region_id for a in assignments if a.role == Role.REGIONAL)
    regional = (
        frozenset(Municipality.objects.filter(region_id__in=regions).values_list("pk", flat=True))
        if regions
        else frozenset()
    )
    return UserScope(
        is_superuser=user.is_superuser,
        regions=regions,
        regional_municipalities=regional,
        coordinated_municipalities=frozenset(
            a.municipality_id for a in assignments if a.role == Role.COORDINATOR
        ),
        specialist_kinds=frozenset(
            (a.municipality_id, a.organization_kind)
            for a in assignments
            if a.role == Role.SPECIALIST
        ),
        managed_organizations=ids(Role.HEAD, Role.CURATOR),
        curated_organizations=ids(Role.CURATOR),
        member_organizations=ids(Role.MENTOR, Role.MENTEE),
        person_id=user.person_id,
    )


class PendingImport(models.Model):
    """An uploaded list waiting for its confirmation, kept in the database (not the cache) so
    a restart or a cache outage loses nothing, and confirmed exactly once: the confirmation
    locks this row and records what it did, which a second confirmation shows again."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("staff list")
        NEEDS = "needs", _("needs list")
        STAGE1 = "stage1", _("monitoring entries")

    token = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sheet = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")
        indexes = [models.Index(fields=["created_at"], name="pending_import_created")]

    def __str__(self) -> str:
        return self.file_name


# Identity across organizations -------------------------------------------------------------


class LinkRequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("link request", "waiting for confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("link request", "confirmed")
    REFUSED = "refused", pgettext_lazy("link request", "refused")


class PersonLinkRequestQuerySet(models.QuerySet):
    def decidable_by(self, user) -> PersonLinkRequestQuerySet:
        """Requests about people the user has scope over: the curator or head of an
        organization where the existing person works, or the coordinator."""
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        employers = Employment.objects.active().filter(
            Q(organization_id__in=scope.managed_organizations)
            | Q(organization__municipality_id__in=scope.coordinated_municipalities)
        )
        return self.filter(existing_id__in=employers.values("person_id"))

    def pending(self) -> PersonLinkRequestQuerySet:
        return self.filter(status=LinkRequestStatus.PENDING)


class PersonLinkRequest(models.Model):
    """A school added a teacher who already works elsewhere in the municipality.

    Until someone with scope over the existing person confirms that it is the same person,
    the school keeps only the record it typed (`typed`); on confirmation its job moves to
    the existing record (orgs/services.py `person_link_confirm`).
    """

    existing = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="link_requests", verbose_name=_("teacher")
    )
    typed = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="typed_link_requests",
        verbose_name=_("record entered by the organization"),
    )
    employment = models.ForeignKey(
        Employment,
        on_delete=models.CASCADE,
        related_name="link_requests",
        verbose_name=_("employment"),
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=LinkRequestStatus.choices,
        default=LinkRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = PersonLinkRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request to link a teacher")
        verbose_name_plural = _("requests to link a teacher")
        ordering = ["-requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.existing} → {self.employment.organization}"


# Consent to the processing of personal data (152-ФЗ) ---------------------------------------


class ConsentQuerySet(models.QuerySet):
    def in_force(self) -> ConsentQuerySet:
        return self.filter(withdrawn_on__isnull=True)


class Consent(models.Model):
    """The teacher's written consent to the processing of personal data (152-ФЗ, art. 9)."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="consent", verbose_name=_("teacher")
    )
    given_on = models.DateField(_("consent date"))
    document = models.CharField(
        _("document"),
        max_length=200,
        help_text=_("What and where the signed consent is: «заявление № 12, личное дело»."),
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    withdrawn_on = models.DateField(_("withdrawal date"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent to personal data processing")
        verbose_name_plural = _("consents to personal data processing")
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message=_("The withdrawal date cannot be before the consent."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.given_on:%d.%m.%Y}"

    @property
    def is_in_force(self) -> bool:
        return self.withdrawn_on is None

    def get_additional_data(self) -> dict:
        return {"person_id": self.person_id}
