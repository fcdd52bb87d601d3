"""A real Celery worker as its own process, for tests that kill it (tests/reports/test_faults.py).

    python -m tests.reports.worker_process QUEUE [SLOW_SECONDS]

The database, broker and media directory come from the environment (DATABASE_URL, REDIS_URL,
MEDIA_ROOT), as for a deployed worker. With SLOW_SECONDS the PDF renders that much slower, so
the test can kill the process in the middle of a build. The pool is `solo`: the build runs in
this main process, the one that is killed.
"""

from __future__ import annotations

import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from config.celery import app
    from reports import services

    queue = sys.argv[1]
    slow = float(sys.argv[2]) if len(sys.argv) > 2 else 0
    if slow:
        real_render = services.render

        def slow_render(report):
            time.sleep(slow)
            return real_render(report)

        services.render = slow_render
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.worker_main(
        [
            "worker",
            "--queues",
            queue,
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-mingle",
            "--without-gossip",
            "--hostname",
            f"test-{queue}-{os.getpid()}@localhost",
        ]
    )


if __name__ == "__main__":
    main()
