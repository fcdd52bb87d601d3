"""Every write of the community app: views, the demo and the tests call these functions.

Each refusal raises ValidationError (a dict keyed by form field where one applies) or
PermissionDenied before anything is written, inside one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from community import documents
from community.models import (
    NEXT_STAGES,
    Council,
    CouncilDecision,
    CouncilMeeting,
    CouncilMember,
    DecisionKind,
    Event,
    EventParticipant,
    IncentiveKind,
    Nomination,
    NominationStage,
    OrderKind,
    PairOrder,
    PairOrderVersion,
    Payment,
    ProposedBy,
)
from community.permissions import (
    can_decide_nomination,
    can_edit_event,
    can_edit_records,
    can_manage_event,
    can_manage_records,
    can_run_council,
)
from core.permissions import require
from core.uploads import validate_upload
from mentoring import services as mentoring_services
from mentoring.models import ONGOING, Pair, PairStatus
from orgs.models import Employment, Organization, Person
from programs import services as programs_services
from programs.models import Product, ProductStatus, Program

# Shared ------------------------------------------------------------------------------------


def attach_file(record, field: str, upload, *, name_field: str | None = None) -> None:
    """Check an uploaded file (size, type, content: core.uploads) and put it on the record;
    a refused file is an error next to the form field `field`. The record is saved by the
    caller."""
    if upload is None:
        return
    try:
        validate_upload(upload)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    getattr(record, field).save(upload.name, upload, save=False)
    setattr(record, name_field or f"{field}_name", upload.name[:255])


def _archive(record, today: datetime.date):
    """Archive instead of delete (152-ФЗ): the record stays, the lists stop showing it."""
    if record.archived_on is None:
        record.archived_on = today
        record.save(update_fields=["archived_on"])
    return record


# Council ----------------------------------------------------------------------------------


def _works_in(person: Person, organization: Organization) -> bool:
    return Employment.objects.active().filter(person=person, organization=organization).exists()


@transaction.atomic
def council_member_add(
    *, user, organization: Organization, person: Person, joined_on: datetime.date
) -> CouncilMember:
    """A mentor joins the council (on a voluntary basis, 4.1.4)."""
    require(can_run_council(user, organization.pk))
    if not _works_in(person, organization):
        raise ValidationError(
            {"person": _("%(name)s does not work in this organization.") % {"name": person}}
        )
    council, _created = Council.objects.get_or_create(organization=organization)
    if council.members.filter(person=person).exists():
        raise ValidationError({"person": _("This mentor is already a member.")})
    return CouncilMember.objects.create(council=council, person=person, joined_on=joined_on)


@transaction.atomic
def council_set_officers(
    *, user, organization: Organization, head: Person | None, secretary: Person | None
) -> Council:
    require(can_run_council(user, organization.pk))
    council, _created = Council.objects.select_for_update().get_or_create(organization=organization)
    members = set(council.members.values_list("person_id", flat=True))
    for field, person in (("head", head), ("secretary", secretary)):
        if person is not None and person.pk not in members:
            raise ValidationError({field: _("Choose a member of the council.")})
    council.head, council.secretary = head, secretary
    council.save(update_fields=["head", "secretary"])
    return council


@dataclass
class CouncilMeetingData:
    held_on: datetime.date
    agenda: str
    minutes: str
    attended: Sequence[Person]
    number: int | None = None


def _check_meeting(council: Council, data: CouncilMeetingData) -> None:
    """A meeting has an agenda, and only members of the council attend it."""
    if not data.agenda.strip():
        raise ValidationError({"agenda": _("Give the agenda.")})
    members = set(council.members.values_list("person_id", flat=True))
    strangers = [person for person in data.attended if person.pk not in members]
    if strangers:
        raise ValidationError(
            {
                "attended": _("Not members of the council: %(names)s.")
                % {"names": ", ".join(str(p) for p in strangers)}
            }
        )


@transaction.atomic
def council_meeting_hold(
    *, user, organization: Organization, data: CouncilMeetingData
) -> CouncilMeeting:
    """Record a meeting of the council; the protocol number follows the last one."""
    require(can_run_council(user, organization.pk))
    council, _created = Council.objects.select_for_update().get_or_create(organization=organization)
    _check_meeting(council, data)
    number = data.number or (council.meetings.aggregate(last=Max("number"))["last"] or 0) + 1
    if council.meetings.filter(number=number).exists():
        raise ValidationError({"number": _("A protocol with this number already exists.")})
    meeting = CouncilMeeting.objects.create(
        council=council,
        number=number,
        held_on=data.held_on,
        agenda=data.agenda.strip(),
        minutes=data.minutes.strip(),
        created_by=user,
    )
    meeting.attended.set(data.attended)
    return meeting


@transaction.atomic
def council_meeting_update(
    *, user, meeting: CouncilMeeting, data: CouncilMeetingData
) -> CouncilMeeting:
    """Correct a recorded meeting: its number, date, agenda, minutes and attendance."""
    council = meeting.council
    require(can_run_council(user, council.organization_id))
    meeting = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
    _check_meeting(council, data)
    number = data.number or meeting.number
    if council.meetings.filter(number=number).exclude(pk=meeting.pk).exists():
        raise ValidationError({"number": _("A protocol with this number already exists.")})
    meeting.number, meeting.held_on = number, data.held_on
    meeting.agenda, meeting.minutes = data.agenda.strip(), data.minutes.strip()
    meeting.save()
    meeting.attended.set(data.attended)
    return meeting


@transaction.atomic
def council_meeting_archive(*, user, meeting: CouncilMeeting, today: datetime.date):
    require(can_run_council(user, meeting.council.organization_id))
    return _archive(meeting, today)


@dataclass
class DecisionData:
    kind: str
    text: str
    program: Program | None = None
    product: Product | None = None
    mentor: Person | None = None
    mentee: Person | None = None
    incentive: str = ""


@transaction.atomic
def council_decide(*, user, meeting: CouncilMeeting, data: DecisionData) -> CouncilDecision:
    """Record a decision and carry it out on what it decided: the program's correction, the
    product's acceptance into the bank, the proposed nomination — each citing the protocol."""
    organization = meeting.council.organization
    require(can_run_council(user, organization.pk))
    if not data.text.strip():
        raise ValidationError({"text": _("Write down what was decided.")})
    decision = CouncilDecision(meeting=meeting, kind=data.kind, text=data.text.strip())
    with translation.override(settings.LANGUAGE_CODE):  # stored words are the documents'
        basis = str(meeting.basis)
    if data.kind == DecisionKind.CORRECT_PROGRAM:
        program = data.program
        if program is None or program.pair.organization_id != organization.pk:
            raise ValidationError({"program": _("Choose a program of this organization.")})
        decision.program = program
        decision.correction = programs_services.program_correct(
            user=user, program=program, text=data.text, basis=basis, made_on=meeting.held_on
        )
    elif data.kind == DecisionKind.ACCEPT_PRODUCT:
        product = data.product
        if product is None or product.organization_id != organization.pk:
            raise ValidationError({"product": _("Choose a product of this organization.")})
        if product.status != ProductStatus.PROPOSED:
            raise ValidationError({"product": _("The product is already decided on.")})
        decision.product = programs_services.product_decide(
            user=user, product=product, accept=True, note=basis
        )
    elif data.kind == DecisionKind.PROPOSE_NOMINATION:
        if data.mentee is None:
            raise ValidationError({"mentee": _("Choose the teacher.")})
        decision.mentee = data.mentee
        decision.nomination = nomination_propose(
            user=user,
            organization=organization,
            person=data.mentee,
            kind=data.incentive,
            proposed_by=ProposedBy.COUNCIL,
            proposed_on=meeting.held_on,
            grounds=f"{data.text.strip()} ({basis})",
        )
    elif data.kind == DecisionKind.RECOMMEND_PAIR:
        if data.mentor is None or data.mentee is None:
            raise ValidationError({"mentee": _("Choose the mentor and the teacher.")})
        decision.mentor, decision.mentee = data.mentor, data.mentee
    elif data.kind != DecisionKind.OTHER:
        raise ValidationError({"kind": _("Choose the kind of decision.")})
    decision.save()
    return decision


# Events -----------------------------------------------------------------------------------


@dataclass
class EventData:
    title: str
    kind: str
    level: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    description: str = ""
    is_published: bool = False


@transaction.atomic
def event_save(
    *,
    user,
    data: EventData,
    organization: Organization | None = None,
    municipality=None,
    event: Event | None = None,
    document=None,
) -> Event:
    """Add or edit an event of an organization, or of the municipality (organization None);
    `document` is the uploaded result document, if any."""
    if event is None:
        event = Event(
            organization=organization,
            municipality=organization.municipality if organization else municipality,
            created_by=user,
        )
        require(can_manage_event(user, event))
    else:
        require(can_edit_event(user, event))
    if data.ends_on and data.ends_on < data.starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    for field in ("title", "kind", "level", "starts_on", "ends_on", "description"):
        setattr(event, field, getattr(data, field))
    event.is_published = data.is_published
    attach_file(event, "document", document)
    event.save()
    return event


@transaction.atomic
def event_archive(*, user, event: Event, today: datetime.date) -> Event:
    require(can_edit_event(user, event))
    return _archive(event, today)


@transaction.atomic
def event_participant_remove(*, user, participant: EventParticipant) -> None:
    """Take a wrongly added participant off the event (the person's record stays)."""
    require(can_edit_event(user, participant.event))
    participant.delete()


@transaction.atomic
def event_participant_add(*, user, event: Event, person: Person, role: str) -> EventParticipant:
    require(can_manage_event(user, event))
    in_municipality = Employment.objects.filter(
        person=person, organization__municipality_id=event.municipality_id
    ).exists()
    if not in_municipality:
        raise ValidationError({"person": _("The teacher does not work in the municipality.")})
    try:
        with transaction.atomic():
            return EventParticipant.objects.create(event=event, person=person, role=role)
    except IntegrityError as error:
        raise ValidationError(
            {"person": _("This teacher is already among the participants.")}
        ) from error


# Incentives ------------------------------------------------------------------------------


@transaction.atomic
def nomination_propose(
    *,
    user,
    organization: Organization,
    person: Person,
    kind: str,
    proposed_by: str,
    proposed_on: datetime.date,
    grounds: str = "",
) -> Nomination:
    """The council of mentors or the head proposes a teacher for an incentive of 3.4."""
    require(can_manage_records(user, organization.pk))
    if kind not in IncentiveKind.values:
        raise ValidationError({"incentive": _("Choose the incentive.")})
    if proposed_by not in ProposedBy.values:
        raise ValidationError({"proposed_by": _("Choose who proposes.")})
    if not _works_in(person, organization):
        raise ValidationError(
            {"person": _("%(name)s does not work in this organization.") % {"name": person}}
        )
    return Nomination.objects.create(
        organization=organization,
        person=person,
        kind=kind,
        proposed_by=proposed_by,
        proposed_on=proposed_on,
        grounds=grounds.strip(),
    )


@transaction.atomic
def nomination_update(
    *,
    user,
    nomination: Nomination,
    kind: str,
    proposed_by: str,
    proposed_on: datetime.date,
    grounds: str = "",
    document=None,
) -> Nomination:
    """Correct a nomination (its stage moves only through `nomination_advance`) and attach
    its document."""
    require(can_edit_records(user, nomination.organization_id))
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if kind not in IncentiveKind.values:
        raise ValidationError({"kind": _("Choose the incentive.")})
    if proposed_by not in ProposedBy.values:
        raise ValidationError({"proposed_by": _("Choose who proposes.")})
    nomination.kind, nomination.proposed_by = kind, proposed_by
    nomination.proposed_on, nomination.grounds = proposed_on, grounds.strip()
    attach_file(nomination, "document", document)
    nomination.save()
    return nomination


@transaction.atomic
def nomination_archive(*, user, nomination: Nomination, today: datetime.date) -> Nomination:
    require(can_edit_records(user, nomination.organization_id))
    return _archive(nomination, today)


STAGE_DATE_FIELD = {
    NominationStage.SUPPORTED: "supported_on",
    NominationStage.SUBMITTED: "submitted_on",
    NominationStage.AWARDED: "decided_on",
    NominationStage.NOT_AWARDED: "decided_on",
}


@transaction.atomic
def nomination_advance(
    *, user, nomination: Nomination, stage: str, on: datetime.date
) -> Nomination:
    """Move a nomination to its next stage (the committee's steps), dated."""
    require(can_decide_nomination(user, nomination))
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if stage not in NEXT_STAGES[NominationStage(nomination.stage)]:
        raise ValidationError(
            _("A nomination at the stage «%(stage)s» cannot move to this stage.")
            % {"stage": nomination.get_stage_display()}
        )
    nomination.stage = stage
    setattr(nomination, STAGE_DATE_FIELD[NominationStage(stage)], on)
    nomination.save()
    return nomination


@dataclass
class PaymentData:
    person: Person
    act: str
    act_point: str
    starts_on: datetime.date
    ends_on: datetime.date
    amount: Decimal | None = None
    percent: Decimal | None = None


def _check_payment(organization: Organization, data: PaymentData) -> None:
    errors = {}
    if (data.amount is None) == (data.percent is None):
        errors["amount"] = _("Give either the amount or the percentage.")
    if data.ends_on < data.starts_on:
        errors["ends_on"] = _("The end cannot be before the start.")
    if not data.act.strip():
        errors["act"] = _("Name the local act.")
    if not _works_in(data.person, organization):
        errors["person"] = _("%(name)s does not work in this organization.") % {"name": data.person}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def payment_set(*, user, organization: Organization, data: PaymentData) -> Payment:
    """The payment for mentoring a local act sets to a mentor, for a period."""
    require(can_manage_records(user, organization.pk))
    _check_payment(organization, data)
    return Payment.objects.create(
        organization=organization,
        person=data.person,
        act=data.act.strip(),
        act_point=data.act_point.strip(),
        amount=data.amount,
        percent=data.percent,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
    )


@transaction.atomic
def payment_update(*, user, payment: Payment, data: PaymentData) -> Payment:
    require(can_edit_records(user, payment.organization_id))
    _check_payment(payment.organization, data)
    payment.person, payment.act = data.person, data.act.strip()
    payment.act_point = data.act_point.strip()
    payment.amount, payment.percent = data.amount, data.percent
    payment.starts_on, payment.ends_on = data.starts_on, data.ends_on
    payment.save()
    return payment


@transaction.atomic
def payment_archive(*, user, payment: Payment, today: datetime.date) -> Payment:
    require(can_edit_records(user, payment.organization_id))
    return _archive(payment, today)


# Orders on pairs ---------------------------------------------------------------------------


@dataclass
class OrderData:
    kind: str
    number: str
    date: datetime.date
    pairs: Sequence[Pair]
    responsible: Person | None = None
    payment_point: str = ""
    end_reason_code: str = ""
    end_reason: str = ""


@transaction.atomic
def pair_order_issue(*, user, organization: Organization, data: OrderData) -> PairOrder:
    """Issue the head's order on the chosen pairs and register it on them in one step: a fixing
    order writes its number and date on the draft pairs (they can start), an ending order ends
    the pairs early for the reason given."""
    require(can_manage_records(user, organization.pk))
    pairs = list(Pair.objects.select_for_update().filter(pk__in=[p.pk for p in data.pairs]))
    errors: dict[str, list] = {}
    if not pairs:
        errors.setdefault("pairs", []).append(_("Choose at least one pair or group."))
    if not data.number.strip():
        errors.setdefault("number", []).append(_("Give the order number."))
    for pair in pairs:
        if pair.organization_id != organization.pk:
            errors.setdefault("pairs", []).append(_("Choose pairs of this organization."))
        elif data.kind == OrderKind.FIXING and pair.status != PairStatus.DRAFT:
            errors.setdefault("pairs", []).append(
                _("%(pair)s is not a draft: it is already fixed.") % {"pair": pair}
            )
        elif data.kind == OrderKind.ENDING and pair.status not in ONGOING:
            errors.setdefault("pairs", []).append(
                _("%(pair)s has already finished.") % {"pair": pair}
            )
    if data.kind == OrderKind.ENDING:
        try:
            mentoring_services.check_end_reason(data.end_reason_code, data.end_reason)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    elif data.kind != OrderKind.FIXING:
        errors.setdefault("kind", []).append(_("Choose the kind of order."))
    if PairOrder.objects.filter(
        organization=organization, number=data.number.strip(), date=data.date
    ).exists():
        errors.setdefault("number", []).append(
            _("An order with this number and date already exists.")
        )
    if errors:
        raise ValidationError(errors)
    order = PairOrder.objects.create(
        organization=organization,
        kind=data.kind,
        number=data.number.strip(),
        date=data.date,
        responsible=data.responsible,
        payment_point=data.payment_point.strip(),
        end_reason=(
            mentoring_services.end_reason_text(data.end_reason_code, data.end_reason)
            if data.kind == OrderKind.ENDING
            else ""
        ),
        created_by=user,
    )
    order.pairs.set(pairs)
    for pair in pairs:
        if data.kind == OrderKind.FIXING:
            mentoring_services.pair_register_order(
                user=user, pair=pair, number=order.number, date=order.date
            )
        else:
            mentoring_services.pair_end_early(
                user=user,
                pair=pair,
                today=data.date,
                reason_code=data.end_reason_code,
                reason=f"{data.end_reason.strip()} ({order})".strip(),
            )
    pair_order_store_version(user=user, order=order)
    return order


def pair_order_store_version(*, user, order: PairOrder, reason: str = "") -> PairOrderVersion:
    """Render the order (PDF and Word) and keep it as its next issued version, with the
    number and date it prints. The first version needs no reason; a later one does."""
    last = order.versions.order_by("-version").first()
    if last is not None and not reason.strip():
        raise ValidationError({"reason": _("Say why the order is issued again.")})
    with translation.override(settings.LANGUAGE_CODE):  # the document is in Russian
        pdf, docx = documents.order_pdf(order), documents.order_docx(order)
    version = PairOrderVersion(
        order=order,
        version=(last.version + 1) if last else 1,
        number=order.number,
        date=order.date,
        reason=reason.strip(),
        issued_by=user,
    )
    version.pdf.save(f"{version.file_stem}.pdf", ContentFile(pdf), save=False)
    version.docx.save(f"{version.file_stem}.docx", ContentFile(docx), save=False)
    version.save()
    return version


@transaction.atomic
def pair_order_reissue(*, user, order: PairOrder, reason: str) -> PairOrderVersion:
    """Issue the order again (a corrected heading, a name spelt right): a new version with its
    reason; the earlier versions are kept."""
    require(can_manage_records(user, order.organization_id))
    order = PairOrder.objects.select_for_update().get(pk=order.pk)
    return pair_order_store_version(user=user, order=order, reason=reason)


@transaction.atomic
def pair_order_start(*, user, order: PairOrder, today: datetime.date) -> int:
    """Start every draft pair the fixing order names; the number of pairs started."""
    require(can_manage_records(user, order.organization_id))
    started = 0
    for pair in order.pairs.filter(status=PairStatus.DRAFT):
        mentoring_services.pair_activate(user=user, pair=pair, today=today)
        started += 1
    return started


@transaction.atomic
def pair_order_attach_scan(*, user, order: PairOrder, upload) -> PairOrder:
    """Keep the scan of the order as the head signed it."""
    require(can_edit_records(user, order.organization_id))
    if upload is None:
        raise ValidationError({"signed_scan": _("Choose the file.")})
    attach_file(order, "signed_scan", upload)
    order.save(update_fields=["signed_scan", "signed_scan_name"])
    return order
