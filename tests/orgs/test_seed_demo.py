"""`manage.py seed_demo`: the demo district a visitor of `make run` signs into."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import RequestFactory, override_settings
from django.utils import timezone

from orgs import demo
from orgs.models import Employment, Organization, OrganizationKind, Person, User
from portal.management.commands import seed_demo


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (it takes seconds) and roll it all back afterwards."""
    # pytest-django runs with DEBUG off, where seed_demo refuses: a demo is a debug checkout.
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        output = StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded_db(seeded, db):
    """Every test asks for this one: `db` keeps it among the database tests, which pytest-django
    runs first, so the module's seeding is done and rolled back before any other kind."""
    return seeded


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seed_demo_refuses_with_debug_off_unless_told_it_is_a_demo_server(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()


@override_settings(DEBUG=True)
def test_running_seed_demo_again_creates_no_new_rows(seeded_db):
    before = _row_counts()
    call_command("seed_demo", stdout=StringIO())
    assert _row_counts() == before
    assert before["orgs.Employment"] > 250


def test_demo_district_holds_every_organization_of_the_reference_list(seeded_db):
    municipality = demo.demo_municipality()
    assert municipality.region.name == "Алтайский край"
    assert "Змеиногорского района" in municipality.committee_name
    organizations = demo.demo_organizations()
    assert len(organizations) == 19
    assert organizations[0].short_name == "СОШ с УИОП г. Змеиногорска"
    kinds = {org.short_name: org.kind for org in organizations}
    assert kinds["Барановская СОШ"] == OrganizationKind.GENERAL
    assert kinds["Детский сад «Сказка»"] == OrganizationKind.PRESCHOOL
    assert kinds["Детская школа искусств"] == OrganizationKind.ADDITIONAL
    assert all(org.settlement and "example.org" in org.website for org in organizations)


def test_about_three_hundred_teachers_with_young_specialists_newcomers_and_dismissed(seeded_db):
    today = timezone.localdate()
    staff = Employment.objects.filter(organization__municipality=demo.demo_municipality())
    active = staff.active()
    total = active.count()
    assert 280 <= total <= 320
    assert 0.10 <= active.young_specialists(today).count() / total <= 0.20
    assert 0.06 <= active.newcomers(today).count() / total <= 0.15
    assert staff.filter(dismissed_on__isnull=False).count() >= 3
    in_two_organizations = Person.objects.annotate(
        organizations=Count("employments__organization", distinct=True)
    ).filter(organizations__gt=1)
    assert in_two_organizations.count() >= 3


def test_names_agree_in_gender(seeded_db):
    people = list(Person.objects.all())
    assert people
    for person in people:
        female = person.middle_name.endswith(("вна", "чна"))
        if female:
            assert person.first_name in demo.FEMALE_FIRST_NAMES, person.full_name
            assert person.last_name not in demo.MALE_SURNAMES, person.full_name
        else:
            assert person.first_name in demo.MALE_FIRST_NAMES, person.full_name
            assert (
                person.last_name in demo.MALE_SURNAMES
                or person.last_name in demo.INDECLINABLE_SURNAMES
            ), person.full_name


def test_positions_fit_the_kind_of_organization(seeded_db):
    def codes(kind):
        return set(
            Employment.objects.filter(organization__kind=kind).values_list(
                "position__code", flat=True
            )
        )

    school, kindergarten, centre = (
        codes(OrganizationKind.GENERAL),
        codes(OrganizationKind.PRESCHOOL),
        codes(OrganizationKind.ADDITIONAL),
    )
    assert {"uchitel", "rukovoditel", "zam_rukovoditelya", "pedagog_psiholog"} <= school
    assert "vospitatel" not in school
    assert {"vospitatel", "rukovoditel"} <= kindergarten
    assert "uchitel" not in kindergarten
    assert {"pedagog_do", "trener_prepodavatel", "prepodavatel", "koncertmeyster"} <= centre
    teachers = Employment.objects.filter(position__code="uchitel")
    assert not teachers.filter(subjects="").exists()


def test_every_demo_user_signs_in_with_the_demo_password(seeded_db):
    for demo_user in demo.DEMO_USERS:
        request = RequestFactory().post("/accounts/login/")
        signed_in = authenticate(request, username=demo_user.username, password=demo.DEMO_PASSWORD)
        assert signed_in is not None, demo_user.username
        user = User.objects.get(username=demo_user.username)
        assert user.get_full_name()


def test_demo_users_see_what_their_role_covers(seeded_db):
    school, school2 = demo.first_school(), demo.second_school()
    kindergarten = Organization.objects.get(short_name="Детский сад «Сказка»")
    user = demo.demo_user
    assert user("coordinator").can_view_staff(kindergarten)
    assert user("specialist_preschool").can_view_staff(kindergarten)
    assert not user("specialist_school").can_view_staff(kindergarten)
    assert user("specialist_school").can_view_staff(school2)
    assert user("head").can_manage_staff(school)
    assert user("curator").can_manage_staff(school)
    assert not user("curator").can_view_staff(school2)
    assert user("curator2").can_manage_staff(school2)
    assert not user("curator2").can_view_staff(school)
    assert user("admin").is_superuser


def test_mentor_and_mentee_accounts_are_teachers_of_the_first_school(seeded_db):
    school = demo.first_school()
    mentor, mentee = demo.demo_user("mentor"), demo.demo_user("mentee")
    assert mentor.person.employments.filter(organization=school, dismissed_on=None).exists()
    assert mentee.person.employments.filter(organization=school, dismissed_on=None).exists()
    assert mentee.person.is_young_specialist
    assert not mentor.person.is_young_specialist
    assert not mentor.can_view_staff(school)


def test_summary_lists_the_demo_logins(seeded_db):
    assert "demo12345" in seeded_db
    assert "curator2" in seeded_db
    assert "Змеиногорский район" in seeded_db


def test_an_app_without_a_demo_module_is_skipped(monkeypatch):
    monkeypatch.setattr(seed_demo, "DEMO_MODULES", ("orgs.demo", "orgs.no_such_demo"))
    assert [module.__name__ for module in seed_demo.demo_modules()] == ["orgs.demo"]


def test_the_demo_has_a_past_every_indicator_compares_two_real_years(seeded_db):
    from mentoring.models import academic_year_of
    from monitoring import indicators
    from reports.models import Report, ReportKind

    today = timezone.localdate()
    municipality = demo.demo_organizations()[0].municipality
    summary = indicators.summary(
        indicators.Scope(municipality_id=municipality.pk), academic_year_of(today), today
    )

    assert summary.coverage.previous.needing > 0 and summary.coverage.previous.covered > 0
    assert summary.pairs.previous.pairs > 0 and summary.pairs.previous.groups > 0
    assert summary.programs.previous.completed > 0
    assert summary.meetings.previous.meetings > 0
    assert summary.deficits.previous.mentees > 0 and summary.deficits.previous.closed > 0
    assert summary.stage1.previous.entries > 0 and summary.stage1.previous.sums["vpr_total"] > 0
    assert summary.stage2.previous.surveys > 0
    assert all(row.start and row.end for row in summary.stage2.previous.rows)
    assert Report.objects.filter(
        municipality=municipality,
        kind=ReportKind.MUNICIPAL,
        academic_year=summary.previous_year,
    ).exists()
