"""factory_boy factories: the details behind the personas of conftest.py."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from orgs.models import (
    Employment,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Region,
    RoleAssignment,
    User,
)

DEFAULT_PASSWORD = "pass-word-123"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = "Алтайский край"
    authority_name = "Министерство образования и науки Алтайского края"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Район {n}")
    region = factory.SubFactory(RegionFactory)
    committee_name = factory.LazyAttribute(lambda o: f"Комитет по образованию ({o.name})")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = OrganizationKind.GENERAL
    short_name = factory.Sequence(lambda n: f"Школа № {n}")
    full_name = factory.LazyAttribute(lambda o: f"МБОУ «{o.short_name}»")
    settlement = "с. Барановка"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    last_name = factory.Sequence(lambda n: f"Иванова{n}")
    first_name = "Мария"
    middle_name = "Петровна"
    teaching_since = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=3650)
    )
    career_since = factory.LazyAttribute(lambda o: o.teaching_since)


def position(code: str = "uchitel") -> Position:
    return Position.objects.get(code=code)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    position = factory.LazyFunction(position)
    hired_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2000))
    subjects = "математика"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Анна"
    last_name = factory.Sequence(lambda n: f"Пользователь{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.ru")
    password = factory.django.Password(DEFAULT_PASSWORD)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    municipality = factory.LazyAttribute(
        lambda o: (
            None
            if o.role == "regional"
            else o.organization.municipality
            if o.organization
            else MunicipalityFactory()
        )
    )
    organization = None
    organization_kind = ""


def pass_second_factor(client, user) -> None:
    """After `force_login`: mark the session as past the second step (TOTP), as a user who
    entered their code would be. Only for users who must use it (orgs/two_factor.py)."""
    from portal.bench import pass_second_step

    session = client.session
    pass_second_step(session, user, device_name="test")
    session.save()
