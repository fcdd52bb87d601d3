"""`manage.py bench_load`: the heaviest pages under concurrent load, as a district office meets it.

Starts gunicorn (2 workers by default) on this database, signs in as the scale users of
`seed_scale` (or the demo users), and runs `wrk` (Debian package `wrk`) on each page; prints
requests per second, p50, p95 and p99 latency and errors per page. Bounded in time and aimed
at 127.0.0.1 only.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from orgs.models import Organization, Role, User
from portal.bench import LOOP_ADDITIONS, loop_seconds, signed_in_client
from portal.management.commands.bench_pages import _url

# wrk reports latency in microseconds; `done` prints one line we parse.
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.3f p50=%d p95=%d p99=%d errors=%d\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors))
end
"""
RESULT = re.compile(
    r"RESULT requests=(\d+) seconds=([\d.]+) p50=(\d+) p95=(\d+) p99=(\d+) errors=(\d+)"
)


def _free_port(preferred: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Load-test the heaviest pages with wrk against gunicorn: req/s, p50, p95, p99."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--seconds", type=int, default=10)
        parser.add_argument("--port", type=int, default=8197)
        parser.add_argument(
            "--threads", type=int, default=1, help="threads a worker (gunicorn's gthread when > 1)"
        )
        parser.add_argument("--only", default="", help="only the pages whose title contains this")

    def users(self) -> dict[str, User]:
        names = {
            "coordinator": ("scale_coordinator", "coordinator"),
            "curator": ("scale_curator", "curator"),
            "regional": ("scale_regional", "regional", "regional_coordinator"),
        }
        found = {}
        for role, candidates in names.items():
            user = User.objects.filter(username__in=candidates).order_by("username").last()
            if user is not None:
                found[role] = user
        if "regional" not in found:
            # A regional coordinator role, when this version has one, under any user name.
            regional = [value for value in Role.values if value.startswith("regional")]
            user = User.objects.filter(role_assignments__role__in=regional).first()
            if user is not None:
                found["regional"] = user
            else:
                self.stdout.write("No regional coordinator in this database: skipped.")
        if "coordinator" not in found:
            raise CommandError("No coordinator: run seed_scale (or seed_demo) first.")
        return found

    def pages(self, users: dict[str, User]) -> list[tuple[str, str, str | None]]:
        curator = users.get("curator")
        organization = (
            Organization.objects.filter(
                pk__in=curator.role_assignments.values("organization_id")
            ).first()
            if curator
            else None
        )
        pages = [
            ("coordinator", "Dashboard: municipality", _url("monitoring:dashboard")),
            ("coordinator", "Drill-down: overdue activities", _url("monitoring:drill", "overdue")),
            ("coordinator", "Drill-down: meetings", _url("monitoring:drill", "meetings")),
            ("coordinator", "Pairs", _url("mentoring:pair_list")),
            ("coordinator", "Programs", _url("programs:program_list")),
            ("coordinator", "Meetings", _url("mentoring:meeting_list")),
            ("coordinator", "Needs", _url("mentoring:need_list")),
        ]  # fmt: skip
        if curator and organization:
            pages += [
                ("curator", "Pairs (curator)", _url("mentoring:pair_list")),
                ("curator", "Home (curator)", _url("home")),
                ("curator", "Needs of the school", _url("mentoring:needs_organization", organization.pk)),
                ("curator", "Programs (curator)", _url("programs:program_list")),
                ("curator", "Staff (curator)", _url("orgs:staff_list", organization.pk)),
            ]  # fmt: skip
        if "regional" in users:
            pages += [
                ("regional", "Dashboard: region", _url("monitoring:region")),
                ("regional", "Pairs (region)", _url("mentoring:pair_list")),
                ("regional", "Programs (region)", _url("programs:program_list")),
                ("regional", "Meetings (region)", _url("mentoring:meeting_list")),
                ("regional", "Needs (region)", _url("mentoring:need_list")),
            ]
        return pages

    def cookie(self, user: User) -> str:
        client = signed_in_client(user)
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

    def handle(self, *args, workers, connections, seconds, port, threads, only, **options):
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("wrk is not installed: apt-get install wrk")
        users = self.users()
        pages = [page for page in self.pages(users) if page[2] and only in page[1]]
        # The sessions are signed with the key the server will check them with.
        key = secrets.token_urlsafe(50)
        with override_settings(SECRET_KEY=key):
            cookies = {role: self.cookie(user) for role, user in users.items()}
        port = _free_port(port)
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
        }
        # Production settings serve hashed static files: collect them as a deployment would.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env,
            check=True,
            cwd=settings.BASE_DIR,
        )
        loop_before = loop_seconds()  # before gunicorn starts and takes the processors
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--log-level",
                "warning",
            ],
            env=env,
            start_new_session=True,
        )
        try:
            self.wait_for(port, server)
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(WRK_REPORT)
            self.stdout.write(
                f"gunicorn {workers} workers × {threads} threads, wrk {connections} connections, "
                f"{seconds} s a page"
            )
            self.stdout.write(
                f"{'page':34} {'req/s':>7} {'p50, ms':>8} {'p95, ms':>8} {'p99, ms':>8} {'errors':>7}"
            )
            for role, title, url in pages:
                self.run_wrk(
                    wrk, script.name, port, url, cookies[role], title, connections, seconds
                )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        self.stdout.write(
            f"The machine: a fixed Python loop ({LOOP_ADDITIONS:,} additions) took "
            f"{loop_before:.2f} s before the run and {loop_seconds():.2f} s after it "
            "(the less, the faster)."
        )

    def status_of(self, port: int, url: str, cookie: str) -> int:
        """The page's status for this session, without following a redirect to sign-in."""
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            return connection.getresponse().status
        finally:
            connection.close()

    def wait_for(self, port: int, server: subprocess.Popen) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("gunicorn did not start")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise CommandError("gunicorn did not answer within a minute")

    def run_wrk(self, wrk, script, port, url, cookie, title, connections, seconds) -> None:
        status = self.status_of(port, url, cookie)
        if status != 200:
            self.stdout.write(f"{title:34} answers {status}, not measured")
            return
        command = [
            wrk,
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            script,
            "-H",
            f"Cookie: {cookie}",
            f"http://127.0.0.1:{port}{url}",
        ]
        output = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=False
        ).stdout
        match = RESULT.search(output)
        if match is None:
            self.stdout.write(f"{title:34} wrk gave no result")
            return
        requests, duration, p50, p95, p99, errors = match.groups()
        rate = int(requests) / float(duration) if float(duration) else 0
        self.stdout.write(
            f"{title:34} {rate:>7.1f} {int(p50) / 1000:>8.0f} {int(p95) / 1000:>8.0f} "
            f"{int(p99) / 1000:>8.0f} {errors:>7}"
        )
