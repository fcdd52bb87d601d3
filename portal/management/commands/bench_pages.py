"""`manage.py bench_pages`: time the main pages and dashboards with the test client.

Prints per page: status, number of queries, time in SQL and total time (best of --repeat).
Meant for the data of `seed_scale` (it signs in as its scale_* users).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import NoReverseMatch, reverse

from orgs.models import Employment, Organization, User


def _url(name: str, *args, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


def _pass_second_factor(client: Client, user: User) -> None:
    """The committee signs in with a second factor: mark the session as past it (as
    tests.factories.pass_second_factor does), or every committee page times the 2FA form."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from orgs.two_factor import requires_two_factor

    if not requires_two_factor(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class Command(BaseCommand):
    help = "Time the main pages and dashboards: queries, SQL time and total time per page."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3)

    def pages(self, organization: Organization) -> list[tuple[str, str, str | None]]:
        org = organization.pk
        # A teacher of the curator's school to suggest mentors for.
        mentee = (
            Employment.objects.active()
            .filter(organization=organization)
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .first()
        )
        return [
            ("scale_coordinator", "Home", _url("home")),
            ("scale_coordinator", "Organizations", _url("orgs:organization_list")),
            ("scale_coordinator", "Staff of an organization", _url("orgs:staff_list", org)),
            ("scale_coordinator", "Pairs", _url("mentoring:pair_list")),
            ("scale_coordinator", "Meetings", _url("mentoring:meeting_list")),
            ("scale_coordinator", "Needs", _url("mentoring:need_list")),
            ("scale_coordinator", "Programs", _url("programs:program_list")),
            ("scale_coordinator", "Dashboard: municipality", _url("monitoring:dashboard", query="reset=")),
            ("scale_coordinator", "Dashboard: kindergartens", _url("monitoring:dashboard", query="kind=preschool")),
            ("scale_coordinator", "Drill-down: overdue activities", _url("monitoring:drill", "overdue")),
            ("scale_coordinator", "Drill-down: meetings", _url("monitoring:drill", "meetings")),
            ("scale_coordinator", "Drill-down: overdue, Excel", _url("monitoring:drill", "overdue", query="export=xlsx")),
            ("scale_coordinator", "Local acts", _url("monitoring:act_list")),
            ("scale_specialist", "Dashboard: specialist", _url("monitoring:dashboard", query="kind=")),
            ("scale_curator", "Dashboard: organization", _url("monitoring:organization_dashboard", org)),
            ("scale_curator", "Pairs (curator)", _url("mentoring:pair_list")),
            ("scale_curator", "Home (curator)", _url("home")),
            ("scale_curator", "Needs of the school", _url("mentoring:needs_organization", org)),
            ("scale_curator", "Suggested mentors", _url("matching:suggest", query=f"mentee={mentee}")),
            ("scale_curator", "Health of pairs", _url("matching:pair_health", query="reset=")),
            ("scale_curator", "Staff (curator)", _url("orgs:staff_list", org)),
            ("scale_coordinator", "Change log", _url("orgs:audit_log")),
            ("scale_coordinator", "Reports", _url("reports:list")),
            ("scale_coordinator", "Mentor bank", _url("mentoring:mentor_list")),
            ("scale_coordinator", "Best-practice bank", _url("programs:bank")),
        ]  # fmt: skip

    def handle(self, *args, repeat: int, **options):
        setup_test_environment()
        coordinator = User.objects.filter(username="scale_coordinator").first()
        if coordinator is None:
            raise CommandError("No scale_coordinator: run seed_scale first.")
        municipality = coordinator.role_assignments.first().municipality
        organization = Organization.objects.filter(
            pk__in=User.objects.get(username="scale_curator").role_assignments.values(
                "organization_id"
            )
        ).first()
        counts = {
            "organizations": Organization.objects.count(),
            "in the municipality": municipality.organizations.count(),
        }
        self.stdout.write(
            "Data: "
            + ", ".join(f"{value} {name}" for name, value in counts.items())
            + f"; best of {repeat}."
        )
        self.stdout.write(
            f"{'page':36} {'status':>6} {'queries':>8} {'SQL, ms':>9} {'total, ms':>10}"
        )
        clients: dict[str, Client] = {}
        for username, title, url in self.pages(organization):
            if url is None:
                self.stdout.write(f"{title:36} {'—':>6}  (no such page)")
                continue
            client = clients.get(username)
            if client is None:
                client = clients[username] = Client()
                user = User.objects.get(username=username)
                client.force_login(user)
                _pass_second_factor(client, user)
            best = None
            for _n in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, follow=True)
                    total = time.perf_counter() - started
                sql = sum(float(query["time"]) for query in queries.captured_queries)
                result = (total, sql, len(queries), response.status_code)
                if best is None or total < best[0]:
                    best = result
            total, sql, count, status = best
            self.stdout.write(
                f"{title:36} {status:>6} {count:>8} {sql * 1000:>9.0f} {total * 1000:>10.0f}"
            )
