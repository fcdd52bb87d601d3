"""`manage.py demo_totp`: the current second-factor code of the demo's committee users."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from orgs.demo import DEMO_SECOND_FACTOR_USERS, DEMO_TOTP_KEY


class Command(BaseCommand):
    help = (
        "Print the current six-digit code of the demo authenticator shared by "
        + ", ".join(DEMO_SECOND_FACTOR_USERS)
        + " (DEBUG only)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp is for the demo (DEBUG=true) only.")
        code = totp(bytes.fromhex(DEMO_TOTP_KEY), step=30, t0=0, digits=6)
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{code:06d}  (valid for {left} more seconds)")
