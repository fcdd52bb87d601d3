"""The second sign-in step and its set-up: an authenticator app (TOTP) and recovery codes."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from orgs.two_factor import (
    SESSION_KEY,
    confirmed_totp,
    new_recovery_codes,
    pending_totp,
    requires_two_factor,
    verify_token,
)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy(
            "Six digits from the authenticator app, or one of your eight-digit recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path of this site: anything else (another host, a bare word) goes home.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Second step after the password; a user without an authenticator goes to set it up."""
    user = request.user
    if user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    if confirmed_totp(user) is None:
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': _next_url(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("The code is wrong or has expired. Try the next one."))
    return render(
        request, "orgs/two_factor/verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Connect an authenticator: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if confirmed_totp(user) is not None and not user.is_verified():
        return redirect("two_factor")
    device = pending_totp(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["token"].split())):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            user.totpdevice_set.filter(confirmed=True).exclude(pk=device.pk).delete()
            otp_login(request, device)
            request.session[SESSION_KEY] = True
            codes = new_recovery_codes(user)
            messages.success(request, _("The second factor is on."))
            return render(
                request,
                "orgs/two_factor/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("token", _("The code is wrong or has expired. Try the next one."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "orgs/two_factor/setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=4, title=_("QR code for the authenticator app")),
            "secret": _grouped(device.bin_key),
            "required": requires_two_factor(user),
            "already_on": confirmed_totp(user) is not None,
            "next": _next_url(request),
        },
    )


@login_required
@require_http_methods(["POST"])
def recovery_codes(request):
    """New recovery codes (the old ones stop working); only after the second step."""
    if not request.user.is_verified():
        return redirect("two_factor")
    codes = new_recovery_codes(request.user)
    return render(request, "orgs/two_factor/recovery_codes.html", {"codes": codes, "next": "/"})


def _grouped(key: bytes) -> str:
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
