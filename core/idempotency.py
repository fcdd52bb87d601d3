"""Writes that survive a double click, a resubmit and two people at once.

One mechanism for every creating form: the form carries a one-time token (`add_token`), and
`submit_once` inserts the token in the same transaction as what the service creates. The
second request with the same token waits for the first one's transaction, then finds the
token taken and is sent where the first one went («уже сохранено»). A unique violation the
service did not foresee (two people adding the same teacher at once) becomes a form error
with the constraint's own message, never a 500. `changed_meanwhile` is the message of a
decision that lost to another one taken a moment earlier.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import FormSubmission

T = TypeVar("T")

TOKEN_FIELD = "form_token"
# Tokens older than this are forgotten (`form_tokens_purge`); a form is not resubmitted later.
TOKEN_DAYS = 30
ALREADY_SAVED = _(
    "This form has already been sent and saved; nothing was saved a second time. "
    "Here is what was saved."
)


class AlreadySubmitted(Exception):
    """The form's token was used: `url` is where the first submission led."""

    def __init__(self, url: str | None):
        super().__init__(url)
        self.url = url


def add_token(form: forms.BaseForm) -> None:
    """Give a creating form its hidden one-time token (a new one each time it is shown; a
    form shown again with errors keeps the token it was sent with)."""
    form.fields[TOKEN_FIELD] = forms.UUIDField(
        widget=forms.HiddenInput, required=False, initial=uuid.uuid4
    )
    helper = getattr(form, "helper", None)
    if helper is not None:  # a crispy layout renders only the fields it names
        helper.render_hidden_fields = True


def changed_meanwhile(detail: str) -> ValidationError:
    """The error of a decision taken on a record someone else changed a moment earlier."""
    return ValidationError(
        gettext("The record has already been changed: %(detail)s") % {"detail": detail},
        code="changed",
    )


def unique_violation_message(error: IntegrityError) -> str:
    """The `violation_error_message` of the constraint the database named, else a general one."""
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    if name:
        for model in apps.get_models():
            for constraint in model._meta.constraints:
                if constraint.name == name and constraint.violation_error_message:
                    return str(constraint.get_violation_error_message())
    return gettext(
        "The same record has just been saved by someone else. The page shows it as it is now."
    )


def submit_once(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[], T],
    url_of: Callable[[T], str],
) -> tuple[T, str]:
    """Run `action` for a valid form once per token; returns its result and the URL to go to.

    Raises AlreadySubmitted for a token already used, ValidationError for a refusal or a
    unique violation (nothing is kept then, the token included)."""
    token = form.cleaned_data.pop(TOKEN_FIELD, None)
    user = request.user if request.user.is_authenticated else None
    try:
        with transaction.atomic():
            submission = None
            if token:
                try:
                    with transaction.atomic():
                        # Waits here while another request with this token is in its transaction.
                        submission = FormSubmission.objects.create(token=token, user=user)
                except IntegrityError:
                    raise AlreadySubmitted(None) from None
            result = action()
            url = url_of(result)
            if submission is not None:
                submission.result_url = url[:500]
                submission.save(update_fields=["result_url"])
    except AlreadySubmitted:
        first = FormSubmission.objects.filter(token=token).first()
        same_user = first is not None and first.user_id == getattr(user, "pk", None)
        raise AlreadySubmitted(first.result_url if same_user else None) from None
    except IntegrityError as error:
        raise ValidationError(unique_violation_message(error), code="unique") from error
    return result, url


def form_tokens_purge(now: datetime.datetime | None = None) -> int:
    """Forget the tokens of forms sent more than TOKEN_DAYS ago."""
    limit = (now or timezone.now()) - datetime.timedelta(days=TOKEN_DAYS)
    deleted, _by_model = FormSubmission.objects.filter(submitted_at__lt=limit).delete()
    return deleted
