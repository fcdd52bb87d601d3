"""Writes on teachers and their employment. Views, imports and commands all call these."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from core.text import normalize
from orgs.models import (
    Consent,
    Employment,
    LinkRequestStatus,
    Organization,
    Person,
    PersonLinkRequest,
    Position,
    QualificationCategory,
    user_scope,
    years_ago,
)

# An import that has no attestation columns leaves what the form entered untouched.
KEEP = object()

PERSON_FIELDS = ("last_name", "first_name", "middle_name", "email", "phone")


@dataclass(frozen=True)
class TeacherData:
    """What a curator enters for a teacher: person fields, experience in years, the job."""

    last_name: str
    first_name: str
    middle_name: str
    position: Position
    hired_on: datetime.date
    email: str = ""
    phone: str = ""
    teaching_years: int | None = None
    career_years: int | None = None
    qualification_category: str = QualificationCategory.NONE
    subjects: str = ""
    last_attested_on: datetime.date | None | object = KEEP
    attestation_result: str | object = KEEP
    is_student: bool | object = KEEP

    @property
    def search_key(self) -> str:
        return normalize(
            " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)
        )


def _experience_start(years: int | None, today: datetime.date) -> datetime.date | None:
    return None if years is None else years_ago(years, today)


def _apply_person_fields(person: Person, data: TeacherData, today: datetime.date) -> None:
    person.last_name = data.last_name.strip()
    person.first_name = data.first_name.strip()
    person.middle_name = data.middle_name.strip()
    person.email = data.email.strip()
    person.phone = data.phone.strip()
    # Experience is re-based only when the entered number of years changes, so saving a
    # form unchanged does not move the start date.
    if data.teaching_years != person.teaching_years:
        person.teaching_since = _experience_start(data.teaching_years, today)
    if data.career_years != person.career_years:
        person.career_since = _experience_start(data.career_years, today)
    if data.last_attested_on is not KEEP:
        person.last_attested_on = data.last_attested_on
    if data.is_student is not KEEP:
        person.is_student = bool(data.is_student)
    if data.attestation_result is not KEEP:
        person.attestation_result = data.attestation_result or ""


def find_same_person(data: TeacherData, municipality_id: int) -> Person | None:
    """A person already employed in the municipality with the same name and e-mail.

    This is how one person comes to work in two organizations without being entered twice.
    """
    return find_same_people([data], municipality_id).get(0)


def find_same_people(items: Sequence[TeacherData], municipality_id: int) -> dict[int, Person]:
    """`find_same_person` for many entries in one query (the staff import): index → person.

    The one rule for "this entry is a person we already have"; forms and imports both use it.
    """
    wanted = {
        (item.search_key, item.email.strip().casefold()): index
        for index, item in enumerate(items)
        if item.email.strip()
    }
    if not wanted:
        return {}
    keys = {key for key, _email in wanted}
    found: dict[int, Person] = {}
    people = (
        Person.objects.filter(
            search_key__in=keys, employments__organization__municipality_id=municipality_id
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    for person in people:
        index = wanted.get((person.search_key, person.email.casefold()))
        if index is not None:
            found.setdefault(index, person)
    return found


def can_change_person(user, person: Person) -> bool:
    """Whether the user may change a person's own fields (name, contacts, experience).

    Only someone whose scope covers every organization the person now works in (the head or
    curator of each of them), the coordinator of their municipality, or the administrator:
    one school's staff cannot rewrite a teacher that another school keeps.
    """
    scope = user_scope(user)
    if scope.is_superuser:
        return True
    jobs = Employment.objects.filter(person=person)
    employers = set(jobs.active().values_list("organization_id", "organization__municipality_id"))
    if not employers:
        employers = set(jobs.values_list("organization_id", "organization__municipality_id"))
    return bool(employers) and all(
        organization_id in scope.managed_organizations
        or municipality_id in scope.coordinated_municipalities
        for organization_id, municipality_id in employers
    )


@dataclass(frozen=True)
class PersonMatch:
    """Which record a new job is attached to. `existing` is set when the teacher already
    works elsewhere and the link waits for that side's confirmation."""

    person: Person
    existing: Person | None = None


def person_for_new_job(*, data: TeacherData, organization: Organization, actor) -> PersonMatch:
    """The one rule for matching a teacher being added (form or Excel import) to a person.

    A person of the municipality with the same full name and e-mail is reused only when the
    actor may change that person (see `can_change_person`); otherwise the organization gets a
    new record of what it typed, and a link request waits for someone with scope over the
    existing person. `actor=None` is a trusted command (the demo data), never a web user.
    """
    same = find_same_person(data, organization.municipality_id)
    if same is None:
        return PersonMatch(Person())
    if actor is None or can_change_person(actor, same):
        return PersonMatch(same)
    return PersonMatch(Person(), existing=same)


@transaction.atomic
def teacher_add(*, organization: Organization, data: TeacherData, actor=None) -> Employment:
    """Put a teacher on the organization's staff list (matching by `person_for_new_job`).

    The organization's row is locked for the transaction, so the same teacher added twice at
    once (two curators, a double click) is one person: the second finds the first one's row
    and is refused as the Excel import refuses it."""
    today = timezone.localdate()
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    on_staff = Employment.objects.active().filter(
        organization=organization, person__search_key=data.search_key, position=data.position
    )
    if on_staff.exists():
        raise ValidationError(
            gettext("This teacher already holds this position in this organization.")
        )
    match = person_for_new_job(data=data, organization=organization, actor=actor)
    person = match.person
    _apply_person_fields(person, data, today)
    person.save()
    employment = Employment(
        person=person,
        organization=organization,
        position=data.position,
        hired_on=data.hired_on,
        qualification_category=data.qualification_category,
        subjects=data.subjects.strip(),
    )
    employment.full_clean()
    employment.save()
    if match.existing is not None:
        PersonLinkRequest.objects.create(
            existing=match.existing, typed=person, employment=employment, requested_by=actor
        )
    return employment


def _person_fields_change(person: Person, data: TeacherData) -> bool:
    entered = {name: getattr(data, name).strip() for name in PERSON_FIELDS}
    return any(getattr(person, name) != value for name, value in entered.items()) or (
        data.teaching_years != person.teaching_years or data.career_years != person.career_years
    )


@transaction.atomic
def teacher_update(*, employment: Employment, data: TeacherData, actor=None) -> Employment:
    """Change a job; the person's own fields only for those `can_change_person` allows."""
    person = employment.person
    if _person_fields_change(person, data):
        if actor is not None and not can_change_person(actor, person):
            raise ValidationError(
                _(
                    "This teacher also works in another organization: her name, contacts and "
                    "experience are changed by the coordinator or by the curators of all her "
                    "organizations."
                )
            )
        _apply_person_fields(person, data, timezone.localdate())
        person.save()
    employment.position = data.position
    employment.hired_on = data.hired_on
    employment.qualification_category = data.qualification_category
    employment.subjects = data.subjects.strip()
    employment.full_clean()
    employment.save()
    return employment


@transaction.atomic
def teacher_dismiss(*, employment: Employment, dismissed_on: datetime.date) -> Employment:
    """Take a teacher off the staff list; the record stays for history and reports."""
    employment.dismissed_on = dismissed_on
    employment.full_clean()
    employment.save(update_fields=["dismissed_on"])
    return employment


@transaction.atomic
def person_link_confirm(*, link: PersonLinkRequest, actor) -> Employment:
    """The same teacher: the requesting organization's job moves to the existing record, and
    the record it typed is removed when nothing else refers to it."""
    link = PersonLinkRequest.objects.select_for_update().get(pk=link.pk)
    if link.status != LinkRequestStatus.PENDING:
        raise ValidationError(_("This request is already decided."))
    employment = link.employment
    typed = link.typed
    employment.person = link.existing
    employment.full_clean()
    employment.save(update_fields=["person"])
    link.status = LinkRequestStatus.CONFIRMED
    link.decided_by = actor
    link.decided_at = timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    if typed is not None and not typed.employments.exists():
        try:
            with transaction.atomic():
                typed.delete()
        except ProtectedError:
            pass  # already in a pair or a program: kept as it is
    return employment


@transaction.atomic
def person_link_refuse(*, link: PersonLinkRequest, actor) -> PersonLinkRequest:
    """Not the same teacher (or not confirmed): the organization keeps its own record."""
    link = PersonLinkRequest.objects.select_for_update().get(pk=link.pk)
    if link.status != LinkRequestStatus.PENDING:
        raise ValidationError(_("This request is already decided."))
    link.status = LinkRequestStatus.REFUSED
    link.decided_by = actor
    link.decided_at = timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    return link


def can_record_consent(user, person: Person) -> bool:
    """The head or curator of an organization where she works, her coordinator, the admin."""
    scope = user_scope(user)
    if scope.is_superuser:
        return True
    return (
        Employment.objects.filter(person=person)
        .filter(
            Q(organization_id__in=scope.managed_organizations)
            | Q(organization__municipality_id__in=scope.coordinated_municipalities)
        )
        .exists()
    )


@transaction.atomic
def consent_record(
    *,
    person: Person,
    given_on: datetime.date,
    document: str,
    withdrawn_on: datetime.date | None,
    actor,
) -> Consent:
    """Record (or correct) a teacher's consent to the processing of personal data."""
    consent = Consent.objects.filter(person=person).first() or Consent(person=person)
    consent.given_on = given_on
    consent.document = document.strip()
    consent.withdrawn_on = withdrawn_on
    consent.recorded_by = actor
    consent.full_clean()
    consent.save()
    return consent
