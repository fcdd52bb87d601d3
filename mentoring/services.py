"""Every write of the mentoring app: views, forms, admin and the demo call these functions.

Each refusal raises ValidationError (a dict keyed by form field where one applies) before
anything is written, inside one transaction.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import BooleanField, Case, Exists, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.idempotency import changed_meanwhile
from core.permissions import require
from core.uploads import validate_upload
from mentoring.models import (
    GROUP_KIND_CODE,
    ONE_TO_ONE_KIND_CODE,
    ONGOING,
    DismissReason,
    EndReason,
    Meeting,
    MeetingAttendance,
    MeetingFile,
    MeetingFormat,
    MentoringForm,
    MentorProfile,
    NeedEntry,
    NeedReason,
    NeedsList,
    NeedStatus,
    Pair,
    PairEvent,
    PairEventAction,
    PairMentee,
    PairStatus,
    academic_year_of,
)
from mentoring.periods import check_program_period
from mentoring.permissions import can_confirm_meeting, can_log_meetings, can_manage_organization
from orgs.models import (
    ATTESTATION_DAYS,
    NEWCOMER_DAYS,
    AttestationResult,
    Employment,
    Organization,
    Person,
)

# Mentors --------------------------------------------------------------------------------


@dataclass
class MentorData:
    person: Person
    organization: Organization
    results: str
    topics: list[str]
    max_mentees: int = 2
    is_active: bool = True
    evidence: UploadedFile | None = None


def _check_mentor_data(data: MentorData) -> None:
    errors: dict[str, list] = {}
    if (
        not Employment.objects.active()
        .filter(person=data.person, organization=data.organization)
        .exists()
    ):
        errors.setdefault("person", []).append(
            _("The teacher does not work in %(organization)s.")
            % {"organization": data.organization}
        )
    if not data.results.strip():
        errors.setdefault("results", []).append(_("Describe the mentor's confirmed results."))
    if not data.topics:
        errors.setdefault("topics", []).append(_("Choose at least one topic."))
    if data.max_mentees < 1:
        errors.setdefault("max_mentees", []).append(_("A mentor takes at least one mentee."))
    if data.evidence is not None:
        try:
            validate_upload(data.evidence)
        except ValidationError as error:
            errors.setdefault("evidence", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mentor_add(*, user, data: MentorData) -> MentorProfile:
    """Put a teacher into the municipal bank of mentors."""
    require(can_manage_organization(user, data.organization.pk))
    _check_mentor_data(data)
    if MentorProfile.objects.filter(person=data.person).exists():
        raise ValidationError({"person": _("This teacher is already in the bank of mentors.")})
    profile = MentorProfile(
        person=data.person,
        organization=data.organization,
        results=data.results.strip(),
        topics=list(data.topics),
        max_mentees=data.max_mentees,
        is_active=data.is_active,
    )
    if data.evidence is not None:
        profile.evidence_name = data.evidence.name
        profile.evidence = data.evidence
    profile.save()
    return profile


@transaction.atomic
def mentor_update(*, user, profile: MentorProfile, data: MentorData) -> MentorProfile:
    require(can_manage_organization(user, profile.organization_id))
    data.person = profile.person
    _check_mentor_data(data)
    profile.organization = data.organization
    profile.results = data.results.strip()
    profile.topics = list(data.topics)
    profile.max_mentees = data.max_mentees
    profile.is_active = data.is_active
    if data.evidence is not None:
        profile.evidence_name = data.evidence.name
        profile.evidence = data.evidence
    profile.save()
    return profile


# Needs list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    person: Person
    employment: Employment
    reason: str


def needs_list_for(organization: Organization, today: datetime.date) -> NeedsList:
    needs_list, _created = NeedsList.objects.get_or_create(
        organization=organization, academic_year=academic_year_of(today)
    )
    return needs_list


def needs_candidates(organization: Organization, today: datetime.date) -> list[Candidate]:
    """Who the staff data says may need a mentor this year and is not on this year's list yet:
    people in a new position, young specialists, newcomers, those attested in the last year
    or whose last attestation failed (one reason each, in that order)."""
    return needs_candidates_by_organization([organization], today)[organization.pk]


def needs_candidates_by_organization(
    organizations: Iterable[Organization], today: datetime.date
) -> dict[int, list[Candidate]]:
    """`needs_candidates` of several organizations at once, in the same few queries however
    many there are (the home page of a head of several organizations)."""
    organization_ids = [organization.pk for organization in organizations]
    listed = NeedEntry.objects.filter(
        needs_list__organization_id=OuterRef("organization_id"),
        needs_list__academic_year=academic_year_of(today),
        person_id=OuterRef("person_id"),
    )
    recent = today - datetime.timedelta(days=NEWCOMER_DAYS)
    # An earlier job of the same person in the same organization in another position.
    earlier_position = Employment.objects.filter(
        organization_id=OuterRef("organization_id"),
        person_id=OuterRef("person_id"),
        hired_on__lt=OuterRef("hired_on"),
    ).exclude(position_id=OuterRef("position_id"))
    # One query whatever the number of organizations and staff: the reasons are read from
    # the rows themselves (the same rules as the querysets' young_specialists/newcomers).
    rows = list(
        Employment.objects.active()
        .filter(organization_id__in=organization_ids)
        .exclude(Exists(listed))
        .annotate(
            changed_position=Case(
                When(hired_on__gt=recent, then=Exists(earlier_position)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("person", "position")
        .order_by("person__search_key", "pk")
    )
    attested_after = today - datetime.timedelta(days=ATTESTATION_DAYS)

    def attested(person: Person) -> bool:
        return (
            person.last_attested_on is not None and person.last_attested_on > attested_after
        ) or person.attestation_result == AttestationResult.FAILED

    candidates: dict[int, dict[int, Candidate]] = {pk: {} for pk in organization_ids}
    for employment in rows:
        found = candidates[employment.organization_id]
        if employment.person_id in found:
            continue
        if employment.changed_position:
            reason = NeedReason.NEW_POSITION
        elif employment.person.is_young_specialist_on(today):
            reason = NeedReason.YOUNG_SPECIALIST
        elif employment.is_newcomer_on(today):
            reason = NeedReason.NEWCOMER
        elif attested(employment.person):
            reason = NeedReason.AFTER_ATTESTATION
        else:
            continue
        found[employment.person_id] = Candidate(employment.person, employment, reason)
    return {pk: list(found.values()) for pk, found in candidates.items()}


@transaction.atomic
def needs_propose(*, user, organization: Organization, today: datetime.date) -> int:
    """Add this year's candidates to the list as proposed, for the curator to decide on."""
    require(can_manage_organization(user, organization.pk))
    needs_list = needs_list_for(organization, today)
    candidates = needs_candidates(organization, today)
    NeedEntry.objects.bulk_create(
        [
            NeedEntry(needs_list=needs_list, person=candidate.person, reason=candidate.reason)
            for candidate in candidates
        ],
        ignore_conflicts=True,
    )
    return len(candidates)


def _touch(needs_list: NeedsList, user, today: datetime.date) -> None:
    needs_list.updated_on = today
    needs_list.updated_by = user
    needs_list.save(update_fields=["updated_on", "updated_by"])


@transaction.atomic
def need_add(
    *,
    user,
    organization: Organization,
    person: Person,
    reason: str,
    note: str = "",
    today: datetime.date,
) -> NeedEntry:
    """The curator adds a teacher by hand (after attestation, at their own request...)."""
    require(can_manage_organization(user, organization.pk))
    if reason not in NeedReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    if not Employment.objects.active().filter(person=person, organization=organization).exists():
        raise ValidationError(
            {
                "person": _("The teacher does not work in %(organization)s.")
                % {"organization": organization}
            }
        )
    # Two curators adding at once: the second waits here and then finds the first one's entry.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    needs_list = needs_list_for(organization, today)
    if needs_list.entries.filter(person=person).exists():
        raise ValidationError({"person": _("This teacher is already on the list.")})
    entry = NeedEntry.objects.create(
        needs_list=needs_list,
        person=person,
        reason=reason,
        note=note,
        status=NeedStatus.CONFIRMED,
        decided_by=user,
        decided_at=timezone.now(),
    )
    _touch(needs_list, user, today)
    return entry


@transaction.atomic
def need_decide(
    *,
    user,
    entry: NeedEntry,
    status: str,
    today: datetime.date,
    dismiss_reason: str = "",
    note: str = "",
    seen_status: str | None = None,
) -> NeedEntry:
    """Confirm or dismiss an entry; the decision dates the list's last update. Dismissing
    needs a reason from the list, and «other» a few words. `seen_status` is the status the
    deciding user saw: when someone else has decided in between, the later decision is refused
    rather than silently overwriting the first."""
    needs_list = entry.needs_list
    require(can_manage_organization(user, needs_list.organization_id))
    if status not in (NeedStatus.CONFIRMED, NeedStatus.DISMISSED):
        raise ValidationError(_("Confirm or dismiss."))
    entry.status = (
        NeedEntry.objects.select_for_update().filter(pk=entry.pk).values_list("status", flat=True)
    ).get()
    if seen_status and entry.status != seen_status:
        raise changed_meanwhile(
            gettext("%(person)s is already «%(status)s».")
            % {"person": entry.person, "status": entry.get_status_display()}
        )
    fields = ["status", "decided_by", "decided_at", "dismiss_reason"]
    if status == NeedStatus.DISMISSED:
        if dismiss_reason not in DismissReason.values:
            raise ValidationError({"dismiss_reason": _("Choose the reason for dismissing.")})
        if dismiss_reason == DismissReason.OTHER and not note.strip():
            raise ValidationError({"note": _("Describe the reason in a few words.")})
        entry.dismiss_reason = dismiss_reason
        if note.strip():
            entry.note = note.strip()
            fields.append("note")
    else:
        entry.dismiss_reason = ""
    entry.status = status
    entry.decided_by = user
    entry.decided_at = timezone.now()
    entry.save(update_fields=fields)
    _touch(needs_list, user, today)
    return entry


@transaction.atomic
def needs_mark_reviewed(*, user, organization: Organization, today: datetime.date) -> NeedsList:
    """The curator reviewed the list and has nothing to change: the list is up to date."""
    require(can_manage_organization(user, organization.pk))
    needs_list = needs_list_for(organization, today)
    _touch(needs_list, user, today)
    return needs_list


# Pairs ----------------------------------------------------------------------------------


@dataclass
class PairData:
    mentor: Person
    mentees: Sequence[Person]
    form: MentoringForm
    kind: MentoringForm
    topic: str
    planned_start: datetime.date
    planned_end: datetime.date
    order_number: str = ""
    order_date: datetime.date | None = None
    confirm_overload: bool = False
    second_pair_reason: str = ""
    # The mentor's place among the portal's suggestions, when the curator took one of them.
    suggestion_rank: int | None = None
    # The date the mentor and the mentees agreed in writing to take part (voluntariness).
    agreed_on: datetime.date | None = None


def mentor_load(mentor: Person, *, exclude_pair: Pair | None = None) -> int:
    """Mentees the mentor has in draft and active pairs."""
    rows = PairMentee.objects.counting_toward_load().filter(pair__mentor=mentor)
    if exclude_pair is not None and exclude_pair.pk:
        rows = rows.exclude(pair=exclude_pair)
    return rows.count()


def _check_pair(data: PairData, organization: Organization, pair: Pair | None = None) -> None:
    errors: dict[str, list] = {}

    def refuse(field_name: str, message) -> None:
        errors.setdefault(field_name, []).append(message)

    mentees = list(data.mentees)
    mentee_ids = {person.pk for person in mentees}
    profile = (
        MentorProfile.objects.filter(person=data.mentor).select_related("organization").first()
    )
    if profile is None or not profile.is_active:
        refuse("mentor", _("%(name)s is not in the bank of mentors.") % {"name": data.mentor})
    elif profile.organization.municipality_id != organization.municipality_id:
        refuse("mentor", _("The mentor works in another municipality."))
    if not mentees:
        refuse("mentees", _("Choose at least one mentee."))
    if data.mentor.pk in mentee_ids:
        refuse("mentees", _("The mentor cannot be their own mentee."))
    if data.kind.code == GROUP_KIND_CODE and len(mentee_ids) < 2:
        refuse("mentees", _("Mentoring in a group needs at least two mentees."))
    if data.kind.code == ONE_TO_ONE_KIND_CODE and len(mentee_ids) > 1:
        refuse("mentees", _("Traditional (one-to-one) mentoring has exactly one mentee."))
    employed = set(
        Employment.objects.active()
        .filter(person_id__in=mentee_ids, organization__municipality=organization.municipality)
        .values_list("person_id", flat=True)
    )
    for person in mentees:
        if person.pk not in employed:
            refuse(
                "mentees",
                _("%(name)s does not work in an organization of the district.") % {"name": person},
            )
    busy = PairMentee.objects.filter(
        pair__mentor=data.mentor, pair__status__in=ONGOING, person_id__in=mentee_ids
    ).select_related("person")
    if pair is not None and pair.pk:
        busy = busy.exclude(pair=pair)
    busy_with_mentor = set()
    for row in busy:
        busy_with_mentor.add(row.person_id)
        refuse(
            "mentees",
            _("%(mentee)s already has a current pair with this mentor.") % {"mentee": row.person},
        )
    if not data.second_pair_reason.strip():
        for row in _other_current_pairs(mentee_ids - busy_with_mentor, pair):
            refuse(
                "second_pair_reason",
                _(
                    "%(mentee)s already has a current pair (%(pair)s). A mentee has one current "
                    "pair; to register a second one (for example a group besides an individual "
                    "pair) give the reason."
                )
                % {"mentee": row.person, "pair": row.pair},
            )
    if data.form.type != "form":
        refuse("form", _("Choose a form of mentoring."))
    else:
        for field_name, message in form_mismatches(data.form, data.mentor, mentees):
            refuse(field_name, message)
    if data.kind.type != "kind":
        refuse("kind", _("Choose a kind of mentoring."))
    if not data.topic.strip():
        refuse("topic", _("Give the direction or topic."))
    try:
        check_program_period(data.planned_start, data.planned_end, field="planned_end")
    except ValidationError as error:
        refuse("planned_end", error.message_dict["planned_end"][0])
    if bool(data.order_number.strip()) != bool(data.order_date):
        refuse("order_date", _("Give both the number and the date of the order."))
    if profile is not None and not errors.get("mentor"):
        current = mentor_load(data.mentor, exclude_pair=pair)
        total = current + len(mentee_ids)
        if total > profile.max_mentees and not data.confirm_overload:
            refuse(
                "confirm_overload",
                _(
                    "The mentor already has %(current)s mentees and takes at most %(max)s; "
                    "with this pair they would have %(total)s. Tick the box to confirm the "
                    "overload."
                )
                % {"current": current, "max": profile.max_mentees, "total": total},
            )
    if errors:
        raise ValidationError(errors)


def _other_current_pairs(mentee_ids: set[int], pair: Pair | None):
    """Draft and active pairs of these mentees, other than `pair`: one a mentee, as a rule."""
    rows = PairMentee.objects.filter(
        pair__status__in=ONGOING, person_id__in=mentee_ids
    ).select_related("person", "pair__mentor")
    if pair is not None and pair.pk:
        rows = rows.exclude(pair=pair)
    return rows.order_by("person__search_key", "pair_id")


HEAD_POSITION_CODES = frozenset({"rukovoditel"})
TEACHER_POSITION_CODES = frozenset({"uchitel"})
HEAD_FORMS = frozenset({"rukovoditel_pedagog", "rukovoditel_uchitel"})
TEACHER_MENTEE_FORMS = frozenset({"rukovoditel_uchitel", "uchitel_uchitel"})
STUDENT_FORMS = frozenset({"rabotodatel_student"})
YOUNG_MENTEE_FORMS = frozenset({"vuz_molodoy_pedagog"})


def form_mismatches(form: MentoringForm, mentor: Person, mentees: Sequence[Person]) -> list:
    """(field, message) for each participant the form of mentoring does not fit (4.1.5):
    «руководитель ОО – …» needs the head as mentor, «… – учитель» teachers, «работодатель –
    студент» students, «педагог вуза/колледжа – молодой педагог» young specialists."""
    people = [mentor, *mentees]
    positions: dict[int, set[str]] = defaultdict(set)
    for person_id, code in (
        Employment.objects.active()
        .filter(person_id__in=[person.pk for person in people])
        .values_list("person_id", "position__code")
    ):
        positions[person_id].add(code)
    problems = []
    if form.code in HEAD_FORMS and not positions[mentor.pk] & HEAD_POSITION_CODES:
        problems.append(
            (
                "mentor",
                _("The form «%(form)s» needs the head of the organization as mentor.")
                % {"form": form},
            )
        )
    if form.code in TEACHER_MENTEE_FORMS:
        if not positions[mentor.pk] & (TEACHER_POSITION_CODES | HEAD_POSITION_CODES):
            if form.code == "uchitel_uchitel":
                problems.append(
                    ("mentor", _("The form «%(form)s» needs a teacher as mentor.") % {"form": form})
                )
        for person in mentees:
            if not positions[person.pk] & TEACHER_POSITION_CODES:
                problems.append(
                    (
                        "mentees",
                        _("%(name)s is not a teacher, as the form «%(form)s» needs.")
                        % {"name": person, "form": form},
                    )
                )
    if form.code in STUDENT_FORMS:
        for person in mentees:
            if not person.is_student:
                problems.append(
                    (
                        "mentees",
                        _("%(name)s is not a student, as the form «%(form)s» needs.")
                        % {"name": person, "form": form},
                    )
                )
    if form.code in YOUNG_MENTEE_FORMS:
        for person in mentees:
            if not person.is_young_specialist:
                problems.append(
                    (
                        "mentees",
                        _("%(name)s is not a young specialist, as the form «%(form)s» needs.")
                        % {"name": person, "form": form},
                    )
                )
    return problems


def _record(pair: Pair, user, action: str, details: str = "") -> PairEvent:
    return PairEvent.objects.create(pair=pair, user=user, action=action, details=details)


def _describe(pair: Pair, mentees: Iterable[Person]) -> dict[str, str]:
    return {
        str(_("mentor")): str(pair.mentor),
        str(_("mentees")): ", ".join(sorted(str(person) for person in mentees)),
        str(_("form")): str(pair.form),
        str(pgettext_lazy("mentoring", "kind")): str(pair.kind),
        str(_("direction and topic")): pair.topic,
        str(_("planned start")): f"{pair.planned_start:%d.%m.%Y}",
        str(_("planned end")): f"{pair.planned_end:%d.%m.%Y}",
        str(_("order")): (
            f"№ {pair.order_number} {pair.order_date:%d.%m.%Y}" if pair.order_number else "—"
        ),
    }


def _apply(pair: Pair, data: PairData) -> None:
    pair.mentor = data.mentor
    pair.form = data.form
    pair.kind = data.kind
    pair.topic = data.topic.strip()
    pair.planned_start = data.planned_start
    pair.planned_end = data.planned_end
    pair.order_number = data.order_number.strip()
    pair.order_date = data.order_date
    pair.second_pair_reason = data.second_pair_reason.strip()


def _lock_people(data: PairData) -> None:
    """Two curators registering pairs for one mentor or one mentee at once wait for each
    other (locked in one order, so they cannot deadlock), then the second sees the first."""
    ids = {data.mentor.pk, *(person.pk for person in data.mentees)}
    list(Person.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def _record_mentor_agreement(pair: Pair, data: PairData, user) -> None:
    if data.agreed_on and (pair.mentor_agreed_on is None or pair.mentor_id != data.mentor.pk):
        pair.mentor_agreed_on = data.agreed_on
        pair.mentor_agreement_recorded_by = user


def _membership(pair: Pair, person: Person, data: PairData, user) -> PairMentee:
    """A mentee joins with her voluntary agreement (date, who recorded it) when given."""
    return PairMentee(
        pair=pair,
        person=person,
        agreed_on=data.agreed_on,
        agreement_recorded_by=user if data.agreed_on else None,
    )


@transaction.atomic
def pair_register(*, curator, organization: Organization, data: PairData) -> Pair:
    """Register a pair (one mentee) or a group (two and more) as a draft."""
    require(can_manage_organization(curator, organization.pk))
    _lock_people(data)
    _check_pair(data, organization)
    pair = Pair(organization=organization, created_by=curator)
    _apply(pair, data)
    pair.suggestion_rank = data.suggestion_rank
    _record_mentor_agreement(pair, data, curator)
    pair.save()
    PairMentee.objects.bulk_create(
        [_membership(pair, person, data, curator) for person in data.mentees]
    )
    details = "\n".join(f"{key}: {value}" for key, value in _describe(pair, data.mentees).items())
    _record(pair, curator, PairEventAction.REGISTERED, details)
    return pair


@transaction.atomic
def pair_update(*, user, pair: Pair, data: PairData) -> Pair:
    """Edit a draft or active pair; each changed field goes into the history."""
    require(can_manage_organization(user, pair.organization_id))
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    if pair.status not in ONGOING:
        raise ValidationError(_("A finished pair cannot be changed."))
    _lock_people(data)
    old_mentees = list(pair.mentees.all())
    if pair.status == PairStatus.ACTIVE and {p.pk for p in old_mentees} != {
        p.pk for p in data.mentees
    }:
        raise ValidationError({"mentees": _("The mentees of an active pair cannot be changed.")})
    _check_pair(data, pair.organization, pair)
    before = _describe(pair, old_mentees)
    _record_mentor_agreement(pair, data, user)
    _apply(pair, data)
    after = _describe(pair, data.mentees)
    changes = [f"{key}: {before[key]} → {after[key]}" for key in after if before[key] != after[key]]
    if not changes:
        return pair
    pair.save()
    new_ids = {person.pk for person in data.mentees}
    pair.memberships.exclude(person_id__in=new_ids).delete()
    PairMentee.objects.bulk_create(
        [_membership(pair, person, data, user) for person in data.mentees], ignore_conflicts=True
    )
    _record(pair, user, PairEventAction.EDITED, "\n".join(changes))
    return pair


def _locked(pair: Pair) -> Pair:
    return Pair.objects.select_for_update().get(pk=pair.pk)


@transaction.atomic
def pair_activate(*, user, pair: Pair, today: datetime.date) -> Pair:
    """A draft becomes active once the head's order fixes it."""
    require(can_manage_organization(user, pair.organization_id))
    pair = _locked(pair)
    if pair.status != PairStatus.DRAFT:
        raise changed_meanwhile(_("Only a draft can be started."))
    if not pair.order_number or not pair.order_date:
        raise ValidationError(
            _("Enter the number and date of the head's order that fixes the pair first.")
        )
    clash = PairMentee.objects.filter(
        pair__mentor_id=pair.mentor_id,
        pair__status=PairStatus.ACTIVE,
        person_id__in=pair.memberships.values("person_id"),
    ).exclude(pair=pair)
    if clash.exists():
        raise ValidationError(_("A mentee already has an active pair with this mentor."))
    pair.status = PairStatus.ACTIVE
    pair.save(update_fields=["status", "updated_at"])
    _record(pair, user, PairEventAction.ACTIVATED)
    return pair


@transaction.atomic
def pair_register_order(*, user, pair: Pair, number: str, date: datetime.date) -> Pair:
    """Write the number and date of the head's order fixing a draft pair (the order itself is
    issued for several pairs at once by `community.services.pair_order_issue`)."""
    require(can_manage_organization(user, pair.organization_id))
    pair = _locked(pair)
    if pair.status != PairStatus.DRAFT:
        raise ValidationError(_("Only a draft can be fixed by an order."))
    before = f"№ {pair.order_number} {pair.order_date:%d.%m.%Y}" if pair.order_number else "—"
    pair.order_number, pair.order_date = number.strip(), date
    pair.save(update_fields=["order_number", "order_date", "updated_at"])
    _record(
        pair,
        user,
        PairEventAction.EDITED,
        f"{_('order')}: {before} → № {pair.order_number} {date:%d.%m.%Y}",
    )
    return pair


@transaction.atomic
def pair_complete(*, user, pair: Pair, today: datetime.date) -> Pair:
    require(can_manage_organization(user, pair.organization_id))
    pair = _locked(pair)
    if pair.status != PairStatus.ACTIVE:
        raise changed_meanwhile(_("Only an active pair can be completed."))
    pair.status = PairStatus.COMPLETED
    pair.ended_on = today
    pair.save(update_fields=["status", "ended_on", "updated_at"])
    _record(pair, user, PairEventAction.COMPLETED)
    return pair


def end_reason_text(reason_code: str, reason: str) -> str:
    """What the pair card and the order say: the reason from the list, and the details."""
    if reason_code == EndReason.OTHER:
        return reason.strip()
    label = str(EndReason(reason_code).label)
    return f"{label}: {reason.strip()}" if reason.strip() else label


def check_end_reason(reason_code: str, reason: str) -> None:
    if reason_code not in EndReason.values:
        raise ValidationError({"reason_code": _("Choose the reason for ending early.")})
    if reason_code == EndReason.OTHER and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for ending early.")})


@transaction.atomic
def pair_end_early(
    *,
    user,
    pair: Pair,
    today: datetime.date,
    reason_code: str = EndReason.OTHER,
    reason: str = "",
) -> Pair:
    """End a pair before its planned end, for a reason from the list (and «other» in words)."""
    require(can_manage_organization(user, pair.organization_id))
    pair = _locked(pair)
    if pair.status not in ONGOING:
        raise changed_meanwhile(_("This pair has already finished."))
    check_end_reason(reason_code, reason)
    pair.status = PairStatus.ENDED_EARLY
    pair.ended_on = today
    pair.end_reason_code = reason_code
    pair.end_reason = end_reason_text(reason_code, reason)
    pair.save(update_fields=["status", "ended_on", "end_reason_code", "end_reason", "updated_at"])
    _record(pair, user, PairEventAction.ENDED_EARLY, pair.end_reason)
    return pair


@transaction.atomic
def pair_archive(*, user, pair: Pair) -> Pair:
    """Take a finished (or never started) pair out of the work lists instead of deleting it:
    its meetings, programs and diagnostics stay, readable to everyone who could read them.
    The pair's history and the change log say what the archived pair holds."""
    require(can_manage_organization(user, pair.organization_id))
    pair = _locked(pair)
    if pair.archived_at is not None:
        raise changed_meanwhile(_("The pair is already in the archive."))
    if pair.status == PairStatus.ACTIVE:
        raise ValidationError(_("Complete the pair or end it early before archiving it."))
    pair.archived_at = timezone.now()
    pair.save(update_fields=["archived_at", "updated_at"])
    held = {
        pgettext("records kept with a pair", "meetings"): pair.meetings.count(),
        pgettext("records kept with a pair", "programs"): pair.programs.count(),
        pgettext("records kept with a pair", "diagnostics"): pair.diagnostics.count(),
    }
    _record(
        pair,
        user,
        PairEventAction.ARCHIVED,
        gettext("Kept with the pair: %(held)s.")
        % {"held": ", ".join(f"{name}: {count}" for name, count in held.items())},
    )
    return pair


# Meetings --------------------------------------------------------------------------------


@dataclass
class MeetingData:
    held_at: datetime.datetime
    format: str
    topic: str
    attended: Sequence[Person]
    duration_minutes: int = 45
    link: str = ""
    notes: str = ""


def _check_meeting(pair: Pair, data: MeetingData, files: Sequence[UploadedFile]) -> None:
    errors: dict[str, list] = {}

    def refuse(field_name: str, message) -> None:
        errors.setdefault(field_name, []).append(message)

    if pair.status != PairStatus.ACTIVE:
        refuse("__all__", _("Meetings are logged for an active pair only."))
    if data.format not in MeetingFormat.values:
        refuse("format", _("Choose the format."))
    link = data.link.strip()
    if data.format == MeetingFormat.ONLINE and not link:
        refuse("link", _("An online meeting needs a link."))
    if link and not link.lower().startswith(("http://", "https://")):
        refuse("link", _("The link must start with http:// or https://."))
    if not 1 <= data.duration_minutes <= 600:
        refuse("duration_minutes", _("The duration is from 1 to 600 minutes."))
    if not data.topic.strip():
        refuse("topic", _("Give the topic of the meeting."))
    if data.held_at > timezone.now() + datetime.timedelta(minutes=5):
        refuse("held_at", _("A meeting is logged after it took place, not in advance."))
    mentee_ids = set(pair.memberships.values_list("person_id", flat=True))
    attended = {person.pk for person in data.attended}
    if not attended:
        refuse("attended", _("Mark who of the mentees attended."))
    elif not attended <= mentee_ids:
        refuse("attended", _("Only the pair's mentees can be marked as present."))
    for upload in files:
        try:
            validate_upload(upload)
        except ValidationError as error:
            errors.setdefault("files", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


def _save_files(meeting: Meeting, files: Sequence[UploadedFile]) -> None:
    for upload in files:
        MeetingFile.objects.create(meeting=meeting, file=upload, name=upload.name, size=upload.size)


@transaction.atomic
def meeting_log(
    *, user, pair: Pair, data: MeetingData, files: Sequence[UploadedFile] = ()
) -> Meeting:
    """The pair's mentor logs a meeting; the attending mentees then confirm it."""
    require(can_log_meetings(user, pair))
    _check_meeting(pair, data, files)
    meeting = Meeting.objects.create(
        pair=pair,
        held_at=data.held_at,
        format=data.format,
        link=data.link.strip(),
        duration_minutes=data.duration_minutes,
        topic=data.topic.strip(),
        notes=data.notes.strip(),
        logged_by=user,
    )
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(meeting=meeting, person=person) for person in data.attended]
    )
    _save_files(meeting, files)
    return meeting


@transaction.atomic
def meeting_update(
    *, user, meeting: Meeting, data: MeetingData, files: Sequence[UploadedFile] = ()
) -> Meeting:
    """The mentor corrects a meeting; confirmations of those still present are kept."""
    require(can_log_meetings(user, meeting.pair))
    _check_meeting(meeting.pair, data, files)
    meeting.held_at = data.held_at
    meeting.format = data.format
    meeting.link = data.link.strip()
    meeting.duration_minutes = data.duration_minutes
    meeting.topic = data.topic.strip()
    meeting.notes = data.notes.strip()
    meeting.save()
    attended = {person.pk for person in data.attended}
    meeting.attendances.exclude(person_id__in=attended).delete()
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(meeting=meeting, person=person) for person in data.attended],
        ignore_conflicts=True,
    )
    _save_files(meeting, files)
    return meeting


@transaction.atomic
def meeting_confirm(*, user, meeting: Meeting) -> MeetingAttendance:
    """A mentee who attended confirms the meeting took place."""
    require(can_confirm_meeting(user, meeting))
    row = MeetingAttendance.objects.select_for_update().get(
        meeting=meeting, person_id=user.person_id
    )
    if row.confirmed_at is None:
        row.confirmed_at = timezone.now()
        row.save(update_fields=["confirmed_at"])
    return row
