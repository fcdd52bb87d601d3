"""`manage.py seed_scale --municipalities N`: region-scale data for `bench_pages`.

Run it only into a scratch database, e.g.
DATABASE_URL=postgres://postgres@127.0.0.1:5432/nastavnik_scale (after `migrate`).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.demo.scale import seed_scale


class Command(BaseCommand):
    help = (
        "Generate region-scale data (60 municipalities ≈ 1,200 organizations, 30,000 teachers, "
        "60,000 programs, 600,000 meetings) with COPY. Use a scratch database: set "
        "DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/nastavnik_scale, and migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=60)
        parser.add_argument("--seed", type=int, default=60)

    def handle(self, *args, municipalities: int, seed: int, **options):
        if municipalities < 1:
            raise CommandError("--municipalities must be at least 1")
        started = time.perf_counter()
        with transaction.atomic():
            counts = seed_scale(municipalities, stdout=self.stdout, seed=seed)
        for table, count in counts.items():
            self.stdout.write(f"{table:32} {count:>10,}".replace(",", " "))
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.1f} s."))
