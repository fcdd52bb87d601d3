"""Named personas shared by the suite: one district, two schools and a kindergarten.

Every fixture set has two organizations of a kind, so a leak across them shows.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

import pytest

from orgs.models import OrganizationKind, Role
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    PersonFactory,
    RegionFactory,
    RoleFactory,
    UserFactory,
    pass_second_factor,
)
from tests.services import in_ci, redis_available


def pytest_collection_modifyitems(config, items):
    if redis_available():
        return
    if in_ci():
        raise pytest.UsageError("CI=true but no Redis: tests marked 'redis' cannot be skipped")
    skip = pytest.mark.skip(reason="no Redis on 127.0.0.1:6379 and no REDIS_URL")
    for item in items:
        if "redis" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data in place however the database was left.

    The migrations load the reference lists, but a transactional test ends with a flush that
    empties them; the database kept by `--reuse-db` (`make test-fast`) then starts the next
    run without positions or forms. Put them back (idempotent) and serialize again, so that
    `serialized_rollback` restores the full set.
    """
    from django.core.management import call_command
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import DEFAULT_DB_ALIAS, connections

    from orgs.models import Position

    with django_db_blocker.unblock():
        if not Position.objects.exists():
            emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
            call_command("load_reference", stdout=io.StringIO())
            connection = connections[DEFAULT_DB_ALIAS]
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield


@pytest.fixture(autouse=True)
def _reference_data_in_place(request):
    """A transactional test (a live server, a worker, a browser) may start right after
    another one's flush emptied the reference lists that came with the migrations; put them
    back first (idempotent; one query when they are there)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    from django.core.management import call_command
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import DEFAULT_DB_ALIAS

    from orgs.models import Position

    request.getfixturevalue("transactional_db")
    if not Position.objects.exists():
        emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
        call_command("load_reference", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class District:
    municipality: object
    other_municipality: object
    school_a: object
    school_b: object
    kindergarten: object
    kindergarten_b: object
    coordinator: object
    kindergarten_specialist: object
    school_specialist: object
    curator_a: object
    curator_b: object
    head_a: object
    mentor_a: object
    mentee_a: object
    teacher_a: object  # an Employment in school A
    teacher_b: object  # an Employment in school B
    teacher_kindergarten: object
    foreign_coordinator: object
    # The regional coordinator of the region of both municipalities (read-only), and one of
    # another region.
    regional_coordinator: object = None
    foreign_regional: object = None


@pytest.fixture
def district(db) -> District:
    municipality = MunicipalityFactory(name="Змеиногорский район")
    other = MunicipalityFactory(name="Рубцовский район")
    school_a = OrganizationFactory(municipality=municipality, short_name="Барановская СОШ")
    school_b = OrganizationFactory(municipality=municipality, short_name="Таловская СОШ")
    kindergarten = OrganizationFactory(
        municipality=municipality,
        kind=OrganizationKind.PRESCHOOL,
        short_name="Детский сад «Сказка»",
    )
    kindergarten_b = OrganizationFactory(
        municipality=municipality,
        kind=OrganizationKind.PRESCHOOL,
        short_name="Детский сад «Ромашка»",
    )
    teacher_a = EmploymentFactory(
        organization=school_a, person=PersonFactory(last_name="Ёлкина", first_name="Алёна")
    )
    teacher_b = EmploymentFactory(
        organization=school_b, person=PersonFactory(last_name="Берёзова", first_name="Ольга")
    )
    teacher_kindergarten = EmploymentFactory(
        organization=kindergarten, person=PersonFactory(last_name="Садовая", first_name="Нина")
    )
    mentor_person = EmploymentFactory(organization=school_a).person
    mentee_person = EmploymentFactory(organization=school_a).person

    def role(username, role, **scope):
        user = UserFactory(username=username, **scope.pop("user_kwargs", {}))
        RoleFactory(
            user=user, role=role, municipality=scope.pop("municipality", municipality), **scope
        )
        return user

    return District(
        municipality=municipality,
        other_municipality=other,
        school_a=school_a,
        school_b=school_b,
        kindergarten=kindergarten,
        kindergarten_b=kindergarten_b,
        coordinator=role("coordinator", Role.COORDINATOR),
        kindergarten_specialist=role(
            "specialist_preschool", Role.SPECIALIST, organization_kind=OrganizationKind.PRESCHOOL
        ),
        school_specialist=role(
            "specialist_general", Role.SPECIALIST, organization_kind=OrganizationKind.GENERAL
        ),
        curator_a=role("curator_a", Role.CURATOR, organization=school_a),
        curator_b=role("curator_b", Role.CURATOR, organization=school_b),
        head_a=role("head_a", Role.HEAD, organization=school_a),
        mentor_a=role(
            "mentor_a", Role.MENTOR, organization=school_a, user_kwargs={"person": mentor_person}
        ),
        mentee_a=role(
            "mentee_a", Role.MENTEE, organization=school_a, user_kwargs={"person": mentee_person}
        ),
        teacher_a=teacher_a,
        teacher_b=teacher_b,
        teacher_kindergarten=teacher_kindergarten,
        foreign_coordinator=role("coordinator_other", Role.COORDINATOR, municipality=other),
        regional_coordinator=role(
            "regional", Role.REGIONAL, municipality=None, region=municipality.region
        ),
        foreign_regional=role(
            "regional_other",
            Role.REGIONAL,
            municipality=None,
            region=RegionFactory(name="Новосибирская область"),
        ),
    )


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client signed in as that user (past the second step for
    those who must use it, see tests/orgs/test_two_factor.py for the step itself)."""

    def sign_in(user):
        client.force_login(user)
        pass_second_factor(client, user)
        return client

    return sign_in


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
