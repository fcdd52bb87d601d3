"""Sign-in protection: a second factor (TOTP with recovery codes) and short committee sessions.

Who must use the second factor is decided here once: the administrator, the coordinator and
committee specialists (municipal scope). Anyone else may switch it on, and then it is asked
of them too. Until the second step is passed, such a user reaches only the sign-in pages.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

SESSION_KEY = "second_factor_needed"
RECOVERY_CODE_COUNT = 10
# Reachable before the second step: signing in and out, the second step itself, the password
# reset by e-mail, static files and the health check.
OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/accounts/password_reset/",
    "/accounts/reset/",
    "/static/",
    "/health/",
)


def requires_two_factor(user) -> bool:
    """The administrator, the regional coordinator and municipal-scope staff (coordinator,
    committee specialists)."""
    return bool(user.is_superuser or user.scope.is_committee or user.scope.is_regional)


def second_factor_needed(request) -> bool:
    """Whether this signed-in session must pass the second step (kept for the session)."""
    needed = request.session.get(SESSION_KEY)
    if needed is None:
        user = request.user
        needed = requires_two_factor(user) or user_has_device(user, confirmed=True)
        request.session[SESSION_KEY] = needed
    return needed


class TwoFactorMiddleware:
    """Sends a signed-in user who still owes the second step to the second-step page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not user.is_verified()
            and second_factor_needed(request)
        ):
            return redirect(
                f"{reverse('two_factor')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)


@receiver(user_logged_in)
def _on_sign_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_KEY] = requires_two_factor(user) or user_has_device(
        user, confirmed=True
    )
    if (user.scope.is_committee or user.scope.is_regional) and not user.is_superuser:
        # Municipal or regional scope: the session ends after a working day, however active it was.
        request.session.set_expiry(
            timezone.now() + datetime.timedelta(seconds=settings.MUNICIPAL_SESSION_SECONDS)
        )


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_totp(user) -> TOTPDevice:
    """The authenticator being set up (unconfirmed), created once and reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with ten new one-time codes and return them."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify_token(user, token: str):
    """The device that accepts the code (authenticator or a recovery code), or None."""
    token = "".join(token.split())
    for device in (
        *TOTPDevice.objects.devices_for_user(user, confirmed=True),
        *StaticDevice.objects.devices_for_user(user, confirmed=True),
    ):
        if device.verify_token(token):
            return device
    return None
