"""`manage.py bench_reports [--municipalities N] [--repeat K] [--regional --workers 2]`: time
an annual report, stage by stage.

Without options: the municipal report of the demo district (the first municipality with
organizations). With `--municipalities N`: one report over the first N municipalities of
`seed_scale` data (region «Модельный край»). Prints the time to gather the data, to render
the HTML and to render the PDF, and the PDF's pages and size; `--output` keeps the PDF.
Nothing is stored in the database. `--repeat K` builds it K times in this process: the first
run is cold, the later ones are what a warm worker takes.

`--regional`: the regional report of `--region` (default the scale region) end to end, as in
production: starts `celery -A config worker -c W -Q <queue>` (W = `--workers`; REDIS_URL must
be set), orders the report, follows its progress, and prints the time from the order to the
stored PDF, its pages and size, and the peak resident memory of every worker process
(psutil, sampled every 0.1 s). The report is stored like any other (a new version).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.pdf import html_to_pdf
from mentoring.models import academic_year_of
from monitoring.indicators import Scope
from orgs.models import Municipality, Organization, Region
from reports import regional
from reports import services as reports
from reports.models import Report, ReportKind, ReportStatus

SCALE_REGION = "Модельный край"


def pdf_pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


class PeakMemory(threading.Thread):
    """Samples the resident memory of a process and its children; keeps each one's peak."""

    def __init__(self, pid: int, interval: float = 0.1, database: str = ""):
        super().__init__(daemon=True)
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self.cpu: dict[int, float] = {}  # user + system seconds, as last sampled
        # The database server's processes serving this database (`postgres: user <db> …`):
        # the SQL's CPU, on the same cores as the workers.
        self.database = database
        self.server_cpu: dict[int, float] = {}
        self.stopped = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stopped.wait(self.interval):
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for process in processes:
                try:
                    rss = process.memory_info().rss
                    times = process.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                self.peaks[process.pid] = max(self.peaks.get(process.pid, 0), rss)
                self.cpu[process.pid] = times.user + times.system
            if self.database:
                self._sample_server(psutil)

    def _sample_server(self, psutil) -> None:
        for process in psutil.process_iter(["name", "cmdline"]):
            command = " ".join(process.info["cmdline"] or [])
            if not command.startswith("postgres: ") or f" {self.database} " not in command:
                continue
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            self.server_cpu[process.pid] = times.user + times.system


class Command(BaseCommand):
    help = "Time the data, HTML and PDF of an annual report (demo district or N scale districts)."

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=0)
        parser.add_argument("--year", default="")
        parser.add_argument("--output", default="", help="Write the PDF to this path.")
        parser.add_argument("--repeat", type=int, default=1, help="Build it this many times.")
        parser.add_argument("--regional", action="store_true", help="The regional report.")
        parser.add_argument("--region", default=SCALE_REGION)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--queue", default="", help="The worker's queue (default: settings).")

    def handle(self, *args, municipalities: int, year: str, output: str, **options):
        today = timezone.localdate()
        year = year or academic_year_of(today)
        if options["regional"]:
            return self.regional(options, year, output)
        if municipalities:
            chosen = list(
                Municipality.objects.filter(region__name=SCALE_REGION).order_by("pk")[
                    :municipalities
                ]
            )
            if len(chosen) < municipalities:
                raise CommandError(
                    f"Only {len(chosen)} seed_scale municipalities here: run "
                    f"`manage.py seed_scale --municipalities {municipalities}` first."
                )
            scope = reports.Region(municipality_ids=tuple(m.pk for m in chosen))
            municipality = chosen[0]
            label = f"{municipalities} municipalities of seed_scale"
        else:
            municipality = (
                Municipality.objects.filter(organizations__isnull=False)
                .exclude(region__name=SCALE_REGION)
                .order_by("pk")
                .first()
            )
            if municipality is None:
                raise CommandError("No demo data: run `manage.py seed_demo` first.")
            scope = Scope(municipality_id=municipality.pk)
            label = f"district «{municipality.name}»"
        organizations = scope.organizations().count()
        self.stdout.write(
            f"Report over {label}: {organizations} organizations, year {year}, as of {today:%d.%m.%Y}."
        )
        self.stdout.write(f"Organizations in the database: {Organization.objects.count()}.")
        for run in range(1, options["repeat"] + 1):
            pdf = self.one_run(scope, year, today, municipality, run)
        if output:
            Path(output).write_bytes(pdf)
            self.stdout.write(f"PDF written to {output}")

    def one_run(self, scope, year, today, municipality, run: int) -> bytes:
        with (
            translation.override(settings.LANGUAGE_CODE),
            CaptureQueriesContext(connection) as queries,
        ):
            started = time.perf_counter()
            context = reports.gather(
                scope,
                year,
                today,
                municipality=municipality,
                title=str(ReportKind.MUNICIPAL.label),
            )
            data_seconds = time.perf_counter() - started
        started = time.perf_counter()
        html = reports.render_html(context, settings.LANGUAGE_CODE)
        html_seconds = time.perf_counter() - started
        started = time.perf_counter()
        pdf = html_to_pdf(html)
        pdf_seconds = time.perf_counter() - started
        total = data_seconds + html_seconds + pdf_seconds
        self.stdout.write(f"run {run}:")
        self.stdout.write(f"  {'data':6} {data_seconds:8.2f} s  ({len(queries)} queries)")
        self.stdout.write(f"  {'HTML':6} {html_seconds:8.2f} s  ({len(html) // 1024} KB)")
        self.stdout.write(
            f"  {'PDF':6} {pdf_seconds:8.2f} s  ({pdf_pages(pdf)} pages, {len(pdf) // 1024} KB)"
        )
        self.stdout.write(f"  {'total':6} {total:8.2f} s")
        return pdf

    # The regional report through real workers ---------------------------------------------

    def regional(self, options: dict, year: str, output: str) -> None:
        if not os.environ.get("REDIS_URL"):
            raise CommandError("Set REDIS_URL: the regional report is built by Celery workers.")
        region = Region.objects.filter(name=options["region"]).first()
        if region is None:
            raise CommandError(f"No region «{options['region']}» here.")
        from config.celery import app

        queue = options["queue"] or settings.CELERY_TASK_DEFAULT_QUEUE
        app.conf.task_default_queue = queue  # where this process sends the build, too
        workers = options["workers"]
        municipalities = region.municipalities.count()
        organizations = Organization.objects.filter(municipality__region=region).count()
        self.stdout.write(
            f"Regional report «{region.name}» {year}: {municipalities} municipalities, "
            f"{organizations} organizations; {workers} worker processes on queue «{queue}»."
        )
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", str(workers),
             "-Q", queue, "-l", "warning", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"bench-{os.getpid()}@%h"],
            env={**os.environ, "CELERY_QUEUE": queue},
        )  # fmt: skip
        monitor = PeakMemory(worker.pid, database=connection.settings_dict["NAME"])
        try:
            self._wait_for_worker(worker, workers)
            monitor.start()
            time.sleep(0.3)  # the CPU the processes used before the order, to subtract
            before = dict(monitor.cpu)
            server_before = dict(monitor.server_cpu)
            started = time.perf_counter()
            report = regional.regional_order(user=None, region=region, year=year)
            if report.already_ordered:
                raise CommandError(f"A build of this report is already under way (#{report.pk}).")
            report = self._follow(report.pk, started)
            elapsed = time.perf_counter() - started
        finally:
            monitor.stopped.set()
            worker.terminate()
            worker.wait(timeout=30)
        if report.status != ReportStatus.READY:
            raise CommandError(f"Report #{report.pk}: {report.status} {report.failure_reason}")
        content = report.file.read()
        self.stdout.write(
            f"end to end {elapsed:8.2f} s  (report #{report.pk}, {pdf_pages(content)} pages, "
            f"{len(content) // 1024} KB)"
        )
        self._timeline(report)
        main = worker.pid
        pool_cpu = 0.0
        for pid, peak in sorted(monitor.peaks.items()):
            role = "main" if pid == main else "pool"
            cpu = monitor.cpu.get(pid, 0.0) - before.get(pid, 0.0)
            pool_cpu += cpu if role == "pool" else 0.0
            self.stdout.write(
                f"  worker process {pid} ({role}): peak RSS {peak / 2**20:7.1f} MB, "
                f"CPU {cpu:6.2f} s"
            )
        # Load-independent: what the build cost the pool, and that over the workers (the end
        # to end time on a machine with a free core per worker, if the parts spread evenly).
        self.stdout.write(
            f"  pool CPU {pool_cpu:.2f} s in all, {pool_cpu / workers:.2f} s per worker process"
        )
        server_cpu = sum(
            cpu - server_before.get(pid, 0.0) for pid, cpu in monitor.server_cpu.items()
        )
        self.stdout.write(
            f"  database CPU {server_cpu:.2f} s (PostgreSQL processes of «{monitor.database}», "
            f"sampled: a connection opened and closed between samples is missed)"
        )
        if output:
            Path(output).write_bytes(content)
            self.stdout.write(f"PDF written to {output}")

    def _timeline(self, report: Report) -> None:
        """Where the time went, from the parts' own times: the start of the build, the summary,
        the annexes (first, last, the mean gap between two on 2 workers) and the join."""
        origin = report.requested_at

        def at(moment) -> float:
            return (moment - origin).total_seconds()

        parts = list(report.annexes.order_by("built_at").values_list("municipality_id", "built_at"))
        annexes = [built for key, built in parts if key is not None]
        summary = next((built for key, built in parts if key is None), None)
        started = at(report.started_at) if report.started_at else 0.0
        self.stdout.write(f"  timeline: build started +{started:.2f} s")
        if summary:
            self.stdout.write(f"            summary built +{at(summary):.2f} s")
        if annexes:
            gap = (at(annexes[-1]) - at(annexes[0])) / max(len(annexes) - 1, 1)
            self.stdout.write(
                f"            annexes: first +{at(annexes[0]):.2f} s, last +{at(annexes[-1]):.2f} s "
                f"({len(annexes)}, one every {gap:.2f} s)"
            )
        if report.finished_at and parts:
            self.stdout.write(
                f"            joined and stored +{at(report.finished_at):.2f} s "
                f"({at(report.finished_at) - at(parts[-1][1]):.2f} s after the last part)"
            )

    def _wait_for_worker(self, worker: subprocess.Popen, workers: int) -> None:
        import psutil

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if worker.poll() is not None:
                raise CommandError("The worker exited at start.")
            children = psutil.Process(worker.pid).children()
            if len(children) >= workers:
                self._wait_until_idle(children, deadline)  # started and warmed up
                return
            time.sleep(0.2)
        raise CommandError("The worker did not start within a minute.")

    @staticmethod
    def _wait_until_idle(processes, deadline: float) -> None:
        """Until the pool processes have used no CPU for half a second: each one readies the
        PDF renderer as it starts (`reports.tasks.warm_up_pdf`), as a long-running worker has."""
        import psutil

        def used() -> float:
            total = 0.0
            for process in processes:
                try:
                    times = process.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                total += times.user + times.system
            return total

        time.sleep(1.0)
        last = used()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = used()
            if now - last < 0.02:
                return
            last = now

    def _follow(self, report_id: int, started: float) -> Report:
        shown = None
        while True:
            report = Report.objects.get(pk=report_id)
            done, total = regional.progress(report)
            line = f"{report.get_status_display()}: {done} / {total}"
            if line != shown:
                self.stdout.write(f"  {time.perf_counter() - started:6.1f} s  {line}")
                shown = line
            if not report.is_pending:
                return report
            if time.perf_counter() - started > 600:
                raise CommandError("Not ready within 10 minutes.")
            time.sleep(0.25)
