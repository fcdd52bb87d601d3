"""Who signs the documents: names and positions read from the data, never left blank when the
data has them. The committee's chairman and the coordinator are settings of the municipality;
a head and a curator are the users with those roles, or else the staff in the leader's and
the deputy's positions."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, pgettext

from orgs.models import Employment, Municipality, Organization, OrganizationKind, Person, Role

HEAD_POSITION = "rukovoditel"
DEPUTY_POSITION = "zam_rukovoditelya"


@dataclass(frozen=True)
class Signatory:
    """A name and a position for a signature line; `name` is «И. О. Фамилия»."""

    position: str
    name: str

    def __bool__(self) -> bool:
        return bool(self.name)


def signing_name(person: Person | None) -> str:
    """«Г. П. Корнилова»: initials before the surname, as Russian documents sign."""
    if person is None:
        return ""
    initials = " ".join(f"{part[0]}." for part in (person.first_name, person.middle_name) if part)
    return f"{initials} {person.last_name}".strip()


def _role_person(organization: Organization, role: str) -> Person | None:
    from orgs.models import RoleAssignment

    assignment = (
        RoleAssignment.objects.filter(role=role, organization=organization)
        .exclude(user__person__isnull=True)
        .select_related("user__person")
        .order_by("pk")
        .first()
    )
    return assignment.user.person if assignment else None


def _staff_person(organization: Organization, position_code: str) -> Person | None:
    employment = (
        Employment.objects.active()
        .filter(organization=organization, position__code=position_code)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return employment.person if employment else None


def head_title(organization: Organization) -> str:
    if organization.kind == OrganizationKind.PRESCHOOL:
        return pgettext("signatory", "Head of the kindergarten")
    return pgettext("signatory", "Director")


def head_of(organization: Organization) -> Signatory:
    person = _role_person(organization, Role.HEAD) or _staff_person(organization, HEAD_POSITION)
    return Signatory(
        f"{head_title(organization)} {organization.short_name}",
        signing_name(person),
    )


def curator_of(organization: Organization) -> Signatory:
    """The curator of the mentoring programs; in a small organization with no deputy the head
    is the curator."""
    person = _role_person(organization, Role.CURATOR) or _staff_person(
        organization, DEPUTY_POSITION
    )
    if person is None:
        head = head_of(organization)
        return Signatory(
            gettext("%(head)s, curator of the mentoring programs") % {"head": head.position},
            head.name,
        )
    return Signatory(gettext("Curator of the mentoring programs"), signing_name(person))


def person_signatory(position: str, person: Person | None) -> Signatory:
    return Signatory(position, signing_name(person))


def chairman_of(municipality: Municipality) -> Signatory:
    return Signatory(
        municipality.chairman_position or gettext("Chairman of the education committee"),
        municipality.chairman_name,
    )


def coordinator_of(municipality: Municipality) -> Signatory:
    return Signatory(
        municipality.coordinator_position or gettext("Municipal coordinator"),
        municipality.coordinator_name,
    )
