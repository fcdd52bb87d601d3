from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_periodic_jobs_run_by_hand_through_the_same_services():
    out = StringIO()
    for job in ("reminders", "requeue-stuck", "annual-reports"):
        call_command("run_periodic", job, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "weekly reminder letters sent: 0"  # nobody has anything to do
    assert lines[1] == "stuck reports queued again: 0"
    assert lines[2] == "annual reports ordered: 0"  # no municipality yet
