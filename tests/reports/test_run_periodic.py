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


def test_the_daily_pair_health_job_raises_the_alerts_once(district):
    import datetime

    from django.utils import timezone

    from matching.models import HealthAlert
    from tests.programs.conftest import make_pair

    pair = make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person])
    pair.planned_start = timezone.localdate() - datetime.timedelta(days=31)
    pair.planned_end = timezone.localdate() + datetime.timedelta(days=100)
    pair.save()
    out = StringIO()
    call_command("run_periodic", "pair-health", stdout=out)
    call_command("run_periodic", "pair-health", stdout=out)
    assert out.getvalue().splitlines() == [
        "alerts about quiet pairs raised: 2",  # the mentor (21 days) and the curator (30)
        "alerts about quiet pairs raised: 0",
    ]
    assert set(HealthAlert.objects.values_list("user__username", flat=True)) == {
        "mentor_a",
        "curator_a",
    }
