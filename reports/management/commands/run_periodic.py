"""`manage.py run_periodic JOB`: run one of the Celery beat jobs now, in this process."""

from django.core.management.base import BaseCommand

from matching.health import health_escalate
from reports import reminders
from reports import services as reports

JOBS = {
    "reminders": ("weekly reminder letters sent", reminders.reminders_send),
    "requeue-stuck": ("stuck reports queued again", lambda: len(reports.reports_requeue_stuck())),
    "annual-reports": ("annual reports ordered", lambda: len(reports.reports_order_annual())),
    "pair-health": ("alerts about quiet pairs raised", lambda: len(health_escalate())),
}


class Command(BaseCommand):
    help = "Run a periodic job of Celery beat by hand: " + ", ".join(JOBS)

    def add_arguments(self, parser):
        parser.add_argument("job", choices=sorted(JOBS))

    def handle(self, *args, job: str, **options):
        label, run = JOBS[job]
        self.stdout.write(f"{label}: {run()}")
