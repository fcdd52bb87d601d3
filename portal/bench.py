"""Signing the benchmark users in the way a real session is after both sign-in steps, and
the speed of the machine the benchmarks ran on."""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.two_factor import requires_two_factor


def pass_second_step(session, user, device_name: str = "bench") -> None:
    """Mark `session` (not saved here) as past the second step (TOTP), as after entering the
    code, for the users whose role requires it; the others are left as they are."""
    if not requires_two_factor(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=device_name, confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id


def signed_in_client(user) -> Client:
    """A test client signed in as `user` and, when the role requires it, past the second step:
    otherwise a coordinator's page would be measured as the second-step form."""
    client = Client()
    client.force_login(user)
    session = client.session
    pass_second_step(session, user)
    session.save()
    return client


LOOP_ADDITIONS = 3_000_000


def loop_seconds(additions: int = LOOP_ADDITIONS) -> float:
    """Seconds a fixed pure-Python loop takes here and now. Printed beside the benchmark's
    figures: the same code answers two to four times slower on a busy or slow machine of the
    same kind, and this tells such a run from a slower portal."""
    started = time.perf_counter()
    total = 0
    for number in range(additions):
        total += number * number
    return time.perf_counter() - started
