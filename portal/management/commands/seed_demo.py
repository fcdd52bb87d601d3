"""`manage.py seed_demo`: the demo district, run by `make run`; idempotent."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from monitoring import facts

# Each app's demo module builds on the ones before it (orgs first: the district and users).
# The past (portal.demo_history) comes before monitoring, which adds its stage-1 entries and
# surveys, and before reports, which orders the previous year's municipal report.
DEMO_MODULES = (
    "orgs.demo",
    "mentoring.demo",
    "programs.demo",
    "portal.demo_history",
    "community.demo",
    "matching.demo",
    "monitoring.demo",
    "reports.demo",
    "public.demo",
)


def demo_modules() -> list:
    """The demo modules that exist; an app without one is skipped, a broken one fails."""
    modules = []
    for name in DEMO_MODULES:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return modules


class Command(BaseCommand):
    help = (
        "Create the demo district: organizations, ~300 invented teachers, one user per role "
        "(password demo12345), and the demo data of the other apps. Running it again "
        "creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (a demo server). Never on a real database.",
        )

    def handle(self, *args, **options):
        # The demo has invented people, known passwords and a superuser: never on a real
        # database by accident. `make run` sets DEBUG=true; a demo server says so explicitly.
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "seed_demo creates demo users with known passwords and refuses to run with "
                "DEBUG off. Add --allow-production only for a demo server."
            )
        with transaction.atomic():
            for module in demo_modules():
                module.seed(self.stdout)
        # The dashboards read the facts the nightly job keeps; the demo starts with them.
        facts.refresh_all()
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
