"""`manage.py refresh_facts [--all] [--municipality ID]`: recompute the dashboards' facts."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from monitoring import facts
from orgs.models import Organization


class Command(BaseCommand):
    help = "Recompute the dashboards' facts: the dirty organizations, or all of them."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every organization")
        parser.add_argument("--municipality", type=int, help="only this municipality's")

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["municipality"]:
            ids = Organization.objects.filter(municipality_id=options["municipality"]).values_list(
                "pk", flat=True
            )
            count = facts.refresh_all(ids)
        elif options["all"]:
            count = facts.refresh_all()
        else:
            count = facts.refresh_dirty(limit=10**9)
        self.stdout.write(
            f"Facts recomputed for {count} organizations in {time.perf_counter() - started:.1f} s."
        )
