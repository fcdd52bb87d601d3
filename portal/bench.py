"""Signing the benchmark users in the way a real session is after both sign-in steps."""

from __future__ import annotations

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
