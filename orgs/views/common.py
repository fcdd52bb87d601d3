"""What every app's views do the same way with a service's refusal."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: next to a field the form shows, else above it
    (`form.add_error` raises for a model field the form does not have)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


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
