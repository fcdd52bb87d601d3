"""The council of mentors (МО наставников, 4.1.4), events and incentives (3.4), and the head's
orders fixing pairs (приказ о закреплении наставнических пар) and ending them early."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.uploads import upload_to
from mentoring.models import Pair
from orgs.models import Municipality, Organization, Person, committee_q, user_scope
from programs.models import Product, Program, ProgramCorrection

# Shared fields -----------------------------------------------------------------------------


class Created(models.Model):
    """When the record was made."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class CreatedBy(Created):
    """When and by whom the record was made."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        abstract = True


class Archivable(models.Model):
    """A record that is archived instead of deleted (152-ФЗ): kept, but no longer listed."""

    archived_on = models.DateField(
        _("archived on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("An archived record is kept but no longer listed."),
    )

    class Meta:
        abstract = True


# Events ---------------------------------------------------------------------------------


class Level(models.TextChoices):
    ORGANIZATION = "organization", _("organization")
    MUNICIPAL = "municipal", _("municipal")
    REGIONAL = "regional", _("regional")
    FEDERAL = "federal", _("federal")


class EventKind(models.TextChoices):
    CONTEST = "contest", _("professional contest")
    FORUM = "forum", _("forum")
    CONFERENCE = "conference", _("scientific-practical conference")
    FESTIVAL = "festival", _("festival")
    OTHER = "other", pgettext_lazy("event kind", "other")


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", _("participant")
    PRIZE_WINNER = "prize_winner", _("prize-winner")
    WINNER = "winner", _("winner")
    JURY = "jury", _("jury member")


class ArchivableQuerySet(models.QuerySet):
    def current(self):
        """Records not archived: what the lists show."""
        return self.filter(archived_on__isnull=True)


class EventQuerySet(ArchivableQuerySet):
    def visible_to(self, user) -> EventQuerySet:
        """Municipal events for everyone of the municipality; an organization's events for the
        committee, its head and curator, its staff's accounts, and the participants."""
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        municipalities = set(scope.coordinated_municipalities) | {
            m for m, _kind in scope.specialist_kinds
        }
        organizations = set(scope.managed_organizations) | set(scope.member_organizations)
        municipalities |= set(
            Organization.objects.filter(pk__in=organizations).values_list(
                "municipality_id", flat=True
            )
        )
        q = Q(organization__isnull=True, municipality_id__in=municipalities)
        q |= committee_q(scope, "organization__") | Q(organization_id__in=organizations)
        if scope.person_id:
            q |= Q(participants__person_id=scope.person_id)
        return self.filter(q).distinct()

    def for_list(self) -> EventQuerySet:
        return (
            self.select_related("organization", "municipality")
            .prefetch_related(
                models.Prefetch(
                    "participants",
                    queryset=EventParticipant.objects.select_related("person").order_by(
                        "person__search_key"
                    ),
                    to_attr="participant_rows",
                )
            )
            .order_by("-starts_on", "pk")
        )

    def of_year(self, start, end) -> EventQuerySet:
        return self.filter(starts_on__gte=start, starts_on__lt=end)


class Event(Archivable, CreatedBy):
    """A contest, forum, conference or festival with the portal's people taking part."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organization"),
        help_text=_("Empty for an event the committee keeps for the whole municipality."),
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind of event"), max_length=12, choices=EventKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    description = models.TextField(_("description and results"), blank=True)
    document = models.FileField(
        _("result document"),
        upload_to=upload_to("community/events"),
        blank=True,
        max_length=200,
    )
    document_name = models.CharField(max_length=255, blank=True, editable=False)
    is_published = models.BooleanField(
        _("show on the public page"),
        default=False,
        help_text=_("Participants' names appear there only with their consent."),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="event_end_after_start",
                violation_error_message=_("The end cannot be before the start."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:event_detail", args=[self.pk])

    @property
    def participant_list(self) -> list[EventParticipant]:
        rows = getattr(self, "participant_rows", None)
        if rows is None:
            rows = list(self.participants.select_related("person").order_by("person__search_key"))
        return rows


class EventParticipant(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participants", verbose_name=_("event")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="event_rows", verbose_name=_("teacher")
    )
    role = models.CharField(_("role"), max_length=12, choices=ParticipantRole.choices)

    class Meta:
        verbose_name = _("participant of an event")
        verbose_name_plural = _("participants of events")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                name="event_participant_unique",
                violation_error_message=_("This teacher is already among the participants."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


# Incentives ------------------------------------------------------------------------------


class IncentiveKind(models.TextChoices):
    RESERVE_ORGANIZATION = "reserve_org", _("reserve of managers of the organization")
    RESERVE_MUNICIPAL = "reserve_mun", _("reserve of managers of the municipality")
    RESERVE_STATE = "reserve_state", _("reserve of managers of state bodies")
    JURY = "jury", _("membership in a jury")
    AWARD_STATE = "award_state", _("state award «За наставничество» (Указ № 94 of 02.03.2018)")
    BADGE_HONORARY = "badge_honor", _("badge «Почетный наставник» (приказ № 400 of 01.07.2021)")
    BADGE_YOUTH = (
        "badge_youth",
        _("badge «Молодость и профессионализм» (приказ № 400 of 01.07.2021)"),
    )


class NominationStage(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("nomination stage", "proposed")
    SUPPORTED = "supported", pgettext_lazy("nomination stage", "supported by the committee")
    SUBMITTED = "submitted", pgettext_lazy("nomination stage", "submitted")
    AWARDED = "awarded", pgettext_lazy("nomination stage", "awarded")
    NOT_AWARDED = "not_awarded", pgettext_lazy("nomination stage", "not awarded")


# The stages a nomination passes, in order; the last step is one of two outcomes.
NEXT_STAGES = {
    NominationStage.PROPOSED: (NominationStage.SUPPORTED,),
    NominationStage.SUPPORTED: (NominationStage.SUBMITTED,),
    NominationStage.SUBMITTED: (NominationStage.AWARDED, NominationStage.NOT_AWARDED),
    NominationStage.AWARDED: (),
    NominationStage.NOT_AWARDED: (),
}


class ProposedBy(models.TextChoices):
    COUNCIL = "council", _("council of mentors")
    HEAD = "head", _("head of the organization")


class ScopedQuerySet(ArchivableQuerySet):
    """Records of a person at an organization: the committee, its head and curator, and the
    person."""

    def visible_to(self, user):
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        q = committee_q(scope, "organization__") | Q(
            organization_id__in=scope.managed_organizations
        )
        if scope.person_id:
            q |= Q(person_id=scope.person_id)
        return self.filter(q)


class NominationQuerySet(ScopedQuerySet):
    def for_list(self) -> NominationQuerySet:
        return self.select_related("person", "organization").order_by("-proposed_on", "pk")


class Nomination(Archivable, Created):
    """A non-material incentive of 3.4 and the stages it passes (proposed → supported by the
    committee → submitted → awarded or not)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("teacher")
    )
    kind = models.CharField(_("incentive"), max_length=16, choices=IncentiveKind.choices)
    stage = models.CharField(
        _("stage"), max_length=12, choices=NominationStage.choices, default=NominationStage.PROPOSED
    )
    proposed_by = models.CharField(_("proposed by"), max_length=8, choices=ProposedBy.choices)
    proposed_on = models.DateField(_("proposed on"))
    supported_on = models.DateField(_("supported on"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    grounds = models.TextField(_("grounds"), blank=True)
    document = models.FileField(
        _("document"), upload_to=upload_to("community/nominations"), blank=True, max_length=200
    )
    document_name = models.CharField(max_length=255, blank=True, editable=False)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-proposed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person.short_name}: {self.get_kind_display()}"

    @property
    def next_stages(self) -> tuple:
        return NEXT_STAGES[NominationStage(self.stage)]


class PaymentQuerySet(ScopedQuerySet):
    def for_list(self) -> PaymentQuerySet:
        return self.select_related("person", "organization").order_by("-starts_on", "pk")


class Payment(Archivable, Created):
    """The payment set for mentoring to a mentor (a material incentive): the local act and
    its point, the amount or the percentage, the period."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="payments", verbose_name=_("mentor")
    )
    act = models.CharField(
        _("local act"),
        max_length=300,
        help_text=_("E.g. «Положение об оплате труда работников, приказ № 45 от 30.08.2026»."),
    )
    act_point = models.CharField(_("point of the act"), max_length=50, blank=True)
    amount = models.DecimalField(
        _("amount, roubles a month"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField(
        _("percentage of the salary"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment for mentoring")
        verbose_name_plural = _("payments for mentoring")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=False, percent__isnull=True)
                | Q(amount__isnull=True, percent__isnull=False),
                name="payment_amount_or_percent",
                violation_error_message=_("Give either the amount or the percentage."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="payment_end_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.short_name}: {self.size}"

    @property
    def size(self) -> str:
        if self.amount is not None:
            return _("%(amount)s ₽ a month") % {"amount": f"{self.amount:,.2f}".replace(",", " ")}
        return _("%(percent)s%% of the salary") % {"percent": f"{self.percent.normalize():f}"}


# The council of mentors -------------------------------------------------------------------


class CouncilQuerySet(models.QuerySet):
    def visible_to(self, user) -> CouncilQuerySet:
        """The committee, the organization's head and curator, and the council's members."""
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        q = committee_q(scope, "organization__") | Q(
            organization_id__in=scope.managed_organizations
        )
        if scope.person_id:
            q |= Q(members__person_id=scope.person_id)
        return self.filter(q).distinct()


class Council(Created):
    """The council (methodical association) of an organization's mentors (4.1.4)."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="council",
        verbose_name=_("organization"),
    )
    head = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("head of the council"),
    )
    secretary = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("secretary"),
    )

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("council of mentors")
        verbose_name_plural = _("councils of mentors")

    def __str__(self) -> str:
        return str(
            _("Council of mentors of %(organization)s") % {"organization": self.organization}
        )

    def get_absolute_url(self) -> str:
        return reverse("community:council", args=[self.organization_id])


class CouncilMember(models.Model):
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="members", verbose_name=_("council")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="council_rows", verbose_name=_("mentor")
    )
    joined_on = models.DateField(_("joined on"))

    class Meta:
        verbose_name = _("member of the council")
        verbose_name_plural = _("members of the council")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "person"],
                name="council_member_unique",
                violation_error_message=_("This mentor is already a member."),
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class CouncilMeetingQuerySet(ArchivableQuerySet):
    def visible_to(self, user) -> CouncilMeetingQuerySet:
        return self.filter(council__in=Council.objects.visible_to(user))


class CouncilMeeting(Archivable, CreatedBy):
    """A meeting of the council: its agenda, who attended, and the protocol."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("council")
    )
    number = models.PositiveIntegerField(_("protocol number"))
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), help_text=_("One item a line."))
    minutes = models.TextField(
        _("heard and discussed"), blank=True, help_text=_("What was heard, by item.")
    )
    attended = models.ManyToManyField(
        Person, related_name="+", blank=True, verbose_name=_("attended")
    )

    objects = CouncilMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting of the council")
        verbose_name_plural = _("meetings of the council")
        ordering = ["-held_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number"],
                name="council_meeting_number_unique",
                violation_error_message=_("A protocol with this number already exists."),
            )
        ]

    def __str__(self) -> str:
        return str(self.reference)

    def get_absolute_url(self) -> str:
        return reverse("community:council_meeting", args=[self.pk])

    @property
    def reference(self) -> str:
        return _("protocol No. %(number)s of %(date)s") % {
            "number": self.number,
            "date": f"{self.held_on:%d.%m.%Y}",
        }

    @property
    def basis(self) -> str:
        """How a decision of this meeting is cited on what it decided."""
        return _("by the decision of the council of mentors, %(protocol)s") % {
            "protocol": self.reference
        }

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class DecisionKind(models.TextChoices):
    RECOMMEND_PAIR = "recommend_pair", _("recommend a pair by topic")
    CORRECT_PROGRAM = "correct_program", _("correct a program after diagnostics")
    ACCEPT_PRODUCT = "accept_product", _("accept a product into the bank of best practices")
    PROPOSE_NOMINATION = "nomination", _("propose a nomination")
    OTHER = "other", pgettext_lazy("decision kind", "other")


class CouncilDecision(Created):
    """A decision of a council meeting, linked to what it decided."""

    meeting = models.ForeignKey(
        CouncilMeeting,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    kind = models.CharField(_("kind of decision"), max_length=16, choices=DecisionKind.choices)
    text = models.TextField(_("decided"))
    mentor = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor"),
    )
    mentee = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("teacher"),
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
    )
    correction = models.OneToOneField(
        ProgramCorrection, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    nomination = models.OneToOneField(
        Nomination, on_delete=models.SET_NULL, null=True, blank=True, related_name="decision"
    )

    class Meta:
        verbose_name = _("decision of the council")
        verbose_name_plural = _("decisions of the council")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


# Orders on pairs ------------------------------------------------------------------------


class OrderKind(models.TextChoices):
    FIXING = "fixing", _("fixing the pairs")
    ENDING = "ending", _("ending pairs early")


class PairOrderQuerySet(models.QuerySet):
    def visible_to(self, user) -> PairOrderQuerySet:
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        return self.filter(
            committee_q(scope, "organization__")
            | Q(organization_id__in=scope.managed_organizations)
        )


class PairOrder(CreatedBy):
    """The head's order fixing mentoring pairs and groups, or ending them early."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="pair_orders",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("kind of order"), max_length=8, choices=OrderKind.choices)
    number = models.CharField(_("order number"), max_length=50)
    date = models.DateField(_("order date"))
    pairs = models.ManyToManyField(Pair, related_name="orders", verbose_name=_("pairs and groups"))
    responsible = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
        help_text=_("Usually the curator of mentoring."),
    )
    payment_point = models.TextField(
        _("payment to mentors"),
        blank=True,
        help_text=_("Where a local act sets a payment for mentoring: the point of the order."),
    )
    end_reason = models.TextField(_("reason for ending early"), blank=True)
    signed_scan = models.FileField(
        _("signed scan"),
        upload_to=upload_to("community/orders"),
        blank=True,
        max_length=200,
        help_text=_("The order signed by the head, scanned (PDF, JPG or PNG)."),
    )
    signed_scan_name = models.CharField(max_length=255, blank=True, editable=False)

    objects = PairOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order on pairs")
        verbose_name_plural = _("orders on pairs")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number", "date"],
                name="pair_order_unique_number",
                violation_error_message=_("An order with this number and date already exists."),
            )
        ]

    def __str__(self) -> str:
        return str(
            _("Order No. %(number)s of %(date)s")
            % {"number": self.number, "date": f"{self.date:%d.%m.%Y}"}
        )

    def get_absolute_url(self) -> str:
        return reverse("community:order_detail", args=[self.pk])


class PairOrderVersionQuerySet(models.QuerySet):
    def visible_to(self, user) -> PairOrderVersionQuerySet:
        return self.filter(order__in=PairOrder.objects.visible_to(user))


class PairOrderVersion(models.Model):
    """The order as issued: the PDF and the Word file kept with the number and date they
    print. Issuing again makes a new version with its reason; earlier ones stay downloadable."""

    order = models.ForeignKey(
        PairOrder, on_delete=models.CASCADE, related_name="versions", verbose_name=_("order")
    )
    version = models.PositiveIntegerField(_("version"))
    number = models.CharField(_("order number"), max_length=50)
    date = models.DateField(_("order date"))
    pdf = models.FileField(_("PDF file"), upload_to=upload_to("community/orders/issued"))
    docx = models.FileField(_("Word file"), upload_to=upload_to("community/orders/issued"))
    reason = models.CharField(
        _("reason for issuing again"),
        max_length=500,
        blank=True,
        help_text=_("Why an order already issued is issued again."),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    objects = PairOrderVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued version of an order")
        verbose_name_plural = _("issued versions of orders")
        ordering = ["order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "version"],
                name="pair_order_version_unique",
                violation_error_message=_("This version of the order is already issued."),
            )
        ]

    def __str__(self) -> str:
        return str(
            _("%(order)s, version %(version)s") % {"order": self.order, "version": self.version}
        )

    @property
    def file_stem(self) -> str:
        return f"order-{self.number}-{self.date:%Y%m%d}-v{self.version}"
