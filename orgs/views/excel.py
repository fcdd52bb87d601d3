"""Import of a staff list from Excel: upload → preview of every row → confirm.

Between the preview and the confirmation the file waits in the cache under a random token
bound to the user and the organization; the confirmation checks it again from scratch.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.excel import XLSX_CONTENT_TYPE
from orgs import staff_import as importer
from orgs.models import Organization
from orgs.permissions import organization_for_staff

UPLOAD_TTL_SECONDS = 2 * 60 * 60


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Fill in the template: one teacher per row, up to 2000 rows, up to 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("check", _("Check the file")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() != ".xlsx":
            raise ValidationError(
                _(
                    "Upload an Excel workbook with the .xlsx extension (older .xls files: "
                    "open in Excel and save as .xlsx)."
                )
            )
        if upload.size > importer.MAX_FILE_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."))
        self.content = upload.read()
        try:
            importer.read_rows(self.content)
        except importer.ImportFileError as error:
            raise ValidationError(str(error)) from error
        return upload


def _cache_key(token: str) -> str:
    return f"orgs:staff-import:{token}"


def _store(request, organization: Organization, name: str, content: bytes) -> str:
    token = secrets.token_urlsafe(24)
    cache.set(
        _cache_key(token),
        {
            "user": request.user.pk,
            "organization": organization.pk,
            "name": name,
            "content": content,
        },
        UPLOAD_TTL_SECONDS,
    )
    return token


def _load(request, organization: Organization, token: str) -> dict | None:
    """The stored upload, only for the user and organization it was uploaded for."""
    if not token:
        return None
    upload = cache.get(_cache_key(token))
    if not upload or upload["user"] != request.user.pk or upload["organization"] != organization.pk:
        return None
    return upload


def _import_url(organization: Organization, token: str = "") -> str:
    url = reverse("orgs:staff_import", args=[organization.pk])
    return f"{url}?token={token}" if token else url


@login_required
@require_http_methods(["GET", "POST"])
def staff_import(request, pk: int):
    organization = organization_for_staff(request.user, pk, manage=True)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, organization)

    token = request.GET.get("token", "")
    upload = _load(request, organization, token) if request.method == "GET" else None
    if request.method == "GET" and token and upload is None:
        messages.warning(request, gettext("The uploaded file has expired. Please upload it again."))
        return redirect(_import_url(organization))

    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = _store(request, organization, form.cleaned_data["file"].name, form.content)
        return redirect(_import_url(organization, token))

    context = {"organization": organization, "form": form, "columns": importer.COLUMNS}
    if upload is not None:
        context.update(_preview_context(organization, upload, token))
    return render(request, "orgs/staff_import.html", context)


def _preview_context(organization: Organization, upload: dict, token: str) -> dict:
    try:
        result = importer.check_file(organization, upload["content"])
    except importer.ImportFileError as error:
        return {"file_error": str(error), "file_name": upload["name"]}
    return {"result": result, "token": token, "file_name": upload["name"]}


def _confirm(request, organization: Organization):
    token = request.POST.get("token", "")
    upload = _load(request, organization, token)
    if upload is None:
        messages.warning(request, gettext("The uploaded file has expired. Please upload it again."))
        return redirect(_import_url(organization))
    # Never trust the preview: the staff list may have changed since.
    context = {"organization": organization, "form": StaffImportForm(), "columns": importer.COLUMNS}
    context.update(_preview_context(organization, upload, token))
    result = context.get("result")
    if result is None or not result.is_valid:
        messages.error(
            request,
            gettext(
                "Nothing is imported: the file no longer passes the check. See the rows below."
            ),
        )
        return render(request, "orgs/staff_import.html", context)
    try:
        employments = importer.staff_import(
            organization=organization, rows=result.teachers, actor=request.user
        )
    except ValidationError as error:
        messages.error(
            request,
            gettext("Nothing is imported: %(reason)s") % {"reason": " ".join(error.messages)},
        )
        return render(request, "orgs/staff_import.html", context)
    cache.delete(_cache_key(token))
    messages.success(
        request,
        gettext("Teachers imported: %(count)s.") % {"count": len(employments)},
    )
    return redirect("orgs:staff_list", pk=organization.pk)


@login_required
def staff_import_template(request, pk: int):
    organization_for_staff(request.user, pk)
    response = HttpResponse(importer.template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="staff-import-template.xlsx"'
    return response
