"""Signing the benchmark users in the way a real session is after both sign-in steps."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.two_factor import requires_two_factor


def signed_in_client(user) -> Client:
    """A test client signed in as `user` and, when the role requires it, past the second step
    (TOTP): otherwise a coordinator's page would be measured as the second-step form."""
    client = Client()
    client.force_login(user)
    if requires_two_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
