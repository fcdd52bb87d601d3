"""Uploaded lists waiting for confirmation: stored in the database, confirmed exactly once.

Every import (staff list, needs list, monitoring entries) keeps its upload here between the
preview and the confirmation, bound to the user and the organization. The confirmation locks
the row: a double click or two tabs at once wait for the first, then see what it did.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from orgs.models import Organization, PendingImport

KEEP_FOR = datetime.timedelta(days=2)


def pending_store(
    *, user, organization: Organization, kind: str, file_name: str, content: bytes
) -> PendingImport:
    """Keep an upload for its preview and confirmation; forget uploads older than two days."""
    PendingImport.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    return PendingImport.objects.create(
        token=secrets.token_urlsafe(24),
        kind=kind,
        user=user,
        organization=organization,
        file_name=file_name[:255],
        content=content,
    )


def pending_get(*, user, organization: Organization, kind: str, token: str) -> PendingImport | None:
    """The upload, only for the user and organization it was uploaded for."""
    if not token:
        return None
    return PendingImport.objects.filter(
        token=token, user=user, organization=organization, kind=kind
    ).first()


def pending_confirm(
    *,
    user,
    organization: Organization,
    kind: str,
    token: str,
    sheet: str,
    apply: Callable[[PendingImport], dict],
) -> tuple[PendingImport | None, bool]:
    """Apply an upload once. Returns (the upload, whether this call applied it).

    `apply` runs inside the transaction that holds the row lock; if it raises, nothing is
    saved and the upload stays waiting.
    """
    with transaction.atomic():
        pending = (
            PendingImport.objects.select_for_update()
            .filter(token=token, user=user, organization=organization, kind=kind)
            .first()
        )
        if pending is None or pending.confirmed_at is not None:
            return pending, False
        pending.sheet = sheet[:64]
        pending.outcome = apply(pending)
        pending.confirmed_at = timezone.now()
        pending.content = b""  # the file is not needed once applied (152-ФЗ: keep no copies)
        pending.save(update_fields=["sheet", "outcome", "confirmed_at", "content"])
    return pending, True
