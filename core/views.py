"""What every app's views do the same way with a service's refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url

from core.idempotency import ALREADY_SAVED, AlreadySubmitted, submit_once

T = TypeVar("T")

# What `redirect` accepts: a model with get_absolute_url, a URL name without arguments, a URL.
RedirectTarget = Model | str


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: next to a field the form shows, else above it
    (`form.add_error` raises for a model field the form does not have)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def save_form(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[], T],
    success: str | Callable[[T], str],
    redirect_to: RedirectTarget | Callable[[T], RedirectTarget] | None = None,
) -> HttpResponse | None:
    """On a valid POST run the service: a refusal goes onto the form (returns None: render the
    form again); success is a message and a redirect to what the service returned, or to
    `redirect_to` (called with the result when it is a function). A form with a one-time token
    (`core.idempotency.add_token`) is saved once: a second submit goes where the first went."""
    if request.method != "POST" or not form.is_valid():
        return None

    def url_of(result: T) -> str:
        if redirect_to is None:
            return resolve_url(result)
        return resolve_url(redirect_to(result) if callable(redirect_to) else redirect_to)

    try:
        result, url = submit_once(request, form, action, url_of)
    except AlreadySubmitted as done:
        return already_submitted(request, done)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(url)


def already_submitted(request: HttpRequest, done: AlreadySubmitted) -> HttpResponse:
    """The second submit of a form: no error, the user is shown what the first one saved."""
    messages.info(request, ALREADY_SAVED)
    return redirect(done.url or request.get_full_path())


def run_action(
    request: HttpRequest, action: Callable[[], object], success: Callable[[], str]
) -> bool:
    """Run a POST action without a form: a refusal becomes error messages, else `success()`
    (called afterwards, so it can describe the new state)."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success())
    return True
