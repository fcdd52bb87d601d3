"""Writes on teachers and their employment. Views, imports and commands all call these."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.text import normalize
from orgs.models import (
    Employment,
    Organization,
    Person,
    Position,
    QualificationCategory,
    years_ago,
)

# An import that has no attestation columns leaves what the form entered untouched.
KEEP = object()


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


@transaction.atomic
def teacher_add(*, organization: Organization, data: TeacherData) -> Employment:
    """Put a teacher on the organization's staff list, reusing their person record if any.

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
    person = find_same_person(data, organization.municipality_id) or Person()
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
    return employment


@transaction.atomic
def teacher_update(*, employment: Employment, data: TeacherData) -> Employment:
    _apply_person_fields(employment.person, data, timezone.localdate())
    employment.person.save()
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
