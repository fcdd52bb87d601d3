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
from portal.bench import signed_in_client


def _url(name: str, *args, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


class Command(BaseCommand):
    help = "Time the main pages and dashboards: queries, SQL time and total time per page."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument(
            "--explain",
            action="store_true",
            help="Print the plans (EXPLAIN ANALYZE) of the page's queries over the big tables.",
        )
        parser.add_argument("--only", default="", help="Only the pages whose title has this.")

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
            ("scale_coordinator", "Dashboard: municipality", _url("monitoring:dashboard")),
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
            ("scale_curator", "Health of pairs", _url("matching:pair_health")),
            ("scale_curator", "Suggested mentors (all)", _url("matching:suggest", query=f"mentee={mentee}&all=1")),
            ("scale_coordinator", "Health of pairs (municipality)", _url("matching:pair_health")),
            ("scale_curator", "Staff (curator)", _url("orgs:staff_list", org)),
            ("scale_coordinator", "Change log", _url("orgs:audit_log")),
            ("scale_coordinator", "Reports", _url("reports:list")),
            ("scale_coordinator", "Mentor bank", _url("mentoring:mentor_list")),
            ("scale_coordinator", "Best-practice bank", _url("programs:bank")),
            ("scale_regional", "Dashboard: region", _url("monitoring:region")),
            ("scale_regional", "Region: one municipality", _url("monitoring:region_municipality", organization.municipality_id)),
            ("scale_regional", "Pairs (region)", _url("mentoring:pair_list")),
            ("scale_regional", "Meetings (region)", _url("mentoring:meeting_list")),
            ("scale_regional", "Programs (region)", _url("programs:program_list")),
            ("scale_regional", "Needs (region)", _url("mentoring:need_list")),
            ("scale_admin", "Pairs (superuser, region)", _url("mentoring:pair_list")),
            ("scale_admin", "Meetings (superuser, region)", _url("mentoring:meeting_list")),
            ("scale_admin", "Programs (superuser, region)", _url("programs:program_list")),
            ("scale_admin", "Needs (superuser, region)", _url("mentoring:need_list")),
            ("scale_admin", "Admin: meetings", _url("admin:mentoring_meeting_changelist")),
            ("scale_admin", "Admin: pairs", _url("admin:mentoring_pair_changelist")),
            ("scale_admin", "Admin: programs", _url("admin:programs_program_changelist")),
        ]  # fmt: skip

    BIG_TABLES = (
        "mentoring_pair",
        "mentoring_meeting",
        "programs_program",
        "programs_activity",
        "mentoring_needentry",
    )

    def explain(self, captured: list[dict]) -> None:
        """The plans of the page's queries over the big tables: the rows each step reads."""
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            if not any(f'"{table}"' in sql for table in self.BIG_TABLES):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql)
                plan = "\n".join(f"    {row[0]}" for row in cursor.fetchall())
            self.stdout.write(f"  {sql[:110]}…\n{plan}")

    def handle(self, *args, repeat: int, explain: bool = False, only: str = "", **options):
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
            if only and only.lower() not in title.lower():
                continue
            if url is None:
                self.stdout.write(f"{title:36} {'—':>6}  (no such page)")
                continue
            client = clients.get(username)
            if client is None:
                user = User.objects.filter(username=username).first()
                if user is None:
                    self.stdout.write(f"{title:36} {'—':>6}  (no user {username})")
                    continue
                client = clients[username] = signed_in_client(user)
            best = None
            for _n in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    total = time.perf_counter() - started
                sql = sum(float(query["time"]) for query in queries.captured_queries)
                result = (total, sql, len(queries), response.status_code, queries.captured_queries)
                if best is None or total < best[0]:
                    best = result
            total, sql, count, status, captured = best
            self.stdout.write(
                f"{title:36} {status:>6} {count:>8} {sql * 1000:>9.0f} {total * 1000:>10.0f}"
            )
            if explain:
                self.explain(captured)
