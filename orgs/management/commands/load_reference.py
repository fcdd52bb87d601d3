from django.core.management.base import BaseCommand

from orgs.models import Position
from orgs.reference import load_positions


class Command(BaseCommand):
    help = "Create or update reference data (positions of the nomenclature) from data/*.csv."

    def handle(self, *args, **options):
        count = load_positions(Position)
        self.stdout.write(f"positions: {count}")
