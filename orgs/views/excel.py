"""Import of a staff list from Excel or CSV: upload → preview of changes → confirm once.

Between the preview and the confirmation the file waits in the database (`orgs.pending`)
under a random token bound to the user and the organization; the confirmation checks it
again from scratch under a row lock, so it happens once whatever the user clicks.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.excel import XLSX_CONTENT_TYPE
from orgs import staff_import as importer
from orgs.models import Organization, PendingImport
from orgs.pending import pending_confirm, pending_get, pending_store
from orgs.permissions import organization_for_staff

KIND = PendingImport.Kind.STAFF


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("Staff list (.xlsx, .xls or .csv)"),
        help_text=_(
            "The template or your own list: headings anywhere in the first rows, any order; "
            "up to 10,000 rows, up to 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = True
        # No enctype in attrs: crispy adds it itself for a form with a file field.
        self.helper.add_input(Submit("check", _("Check the file")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importer.MAX_FILE_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        self.content = upload.read()
        try:
            self.read(self.content, upload.name)
        except importer.ImportFileError as error:
            raise ValidationError(str(error)) from error
        return upload

    def read(self, content: bytes, name: str) -> None:
        """Refuse a file that cannot be read or has no headings of the list."""
        importer.read_rows(content, name)


class _Refused(Exception):
    def __init__(self, context: dict):
        self.context = context


def _import_url(organization: Organization, token: str = "", sheet: str = "") -> str:
    url = reverse("orgs:staff_import", args=[organization.pk])
    query = {key: value for key, value in (("token", token), ("sheet", sheet)) if value}
    return f"{url}?{urlencode(query)}" if query else url


@login_required
@require_http_methods(["GET", "POST"])
def staff_import(request, pk: int):
    organization = organization_for_staff(request.user, pk, manage=True)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, organization)

    token = request.GET.get("token", "")
    pending = None
    if request.method == "GET" and token:
        pending = pending_get(user=request.user, organization=organization, kind=KIND, token=token)
        if pending is None:
            messages.warning(
                request, gettext("The uploaded file has expired. Please upload it again.")
            )
            return redirect(_import_url(organization))

    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        pending = pending_store(
            user=request.user,
            organization=organization,
            kind=KIND,
            file_name=form.cleaned_data["file"].name,
            content=form.content,
        )
        return redirect(_import_url(organization, pending.token))

    context = {"organization": organization, "form": form, "columns": importer.TEMPLATE_COLUMNS}
    if pending is not None:
        if pending.confirmed_at is not None:
            context["done"] = pending
        else:
            context.update(_preview_context(organization, pending, request.GET.get("sheet", "")))
    return render(request, "orgs/staff_import.html", context)


def _preview_context(organization: Organization, pending: PendingImport, sheet: str) -> dict:
    try:
        result = importer.check_file(
            organization, bytes(pending.content), pending.file_name, sheet or None
        )
    except importer.ImportFileError as error:
        return {"file_error": str(error), "file_name": pending.file_name}
    return {
        "result": result,
        "token": pending.token,
        "file_name": pending.file_name,
        "limit": importer.PREVIEW_LIMIT,
    }


def _confirm(request, organization: Organization):
    token = request.POST.get("token", "")
    sheet = request.POST.get("sheet", "")

    def apply(pending: PendingImport) -> dict:
        # Never trust the preview: the staff list may have changed since.
        context = _preview_context(organization, pending, sheet)
        result = context.get("result")
        if result is None or not result.is_valid:
            raise _Refused(context)
        try:
            return importer.staff_import(
                organization=organization, result=result, user=request.user
            )
        except ValidationError as error:
            context["import_error"] = " ".join(error.messages)
            raise _Refused(context) from error

    try:
        pending, applied = pending_confirm(
            user=request.user,
            organization=organization,
            kind=KIND,
            token=token,
            sheet=sheet,
            apply=apply,
        )
    except _Refused as refused:
        reason = refused.context.pop("import_error", "")
        if reason:
            message = gettext("Nothing is imported: %(reason)s") % {"reason": reason}
        else:
            message = gettext(
                "Nothing is imported: the file no longer passes the check. See the rows below."
            )
        messages.error(request, message)
        context = {"organization": organization, "form": StaffImportForm()}
        context.update(refused.context)
        return render(request, "orgs/staff_import.html", context)
    if pending is None:
        messages.warning(request, gettext("The uploaded file has expired. Please upload it again."))
        return redirect(_import_url(organization))
    if applied:
        messages.success(request, gettext("The staff list is imported."))
    else:
        messages.info(request, gettext("This file has already been imported; nothing more done."))
    return redirect(_import_url(organization, pending.token))


@login_required
@require_GET
def staff_import_errors(request, pk: int):
    """The uploaded list back, with a column of reasons beside each refused row."""
    organization = organization_for_staff(request.user, pk, manage=True)
    pending = pending_get(
        user=request.user, organization=organization, kind=KIND, token=request.GET.get("token", "")
    )
    if pending is None or pending.confirmed_at is not None:
        raise Http404
    try:
        result = importer.check_file(
            organization,
            bytes(pending.content),
            pending.file_name,
            request.GET.get("sheet") or None,
        )
    except importer.ImportFileError as error:
        raise Http404 from error
    response = HttpResponse(
        importer.errors_workbook(bytes(pending.content), result), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="staff-import-errors.xlsx"'
    return response


@login_required
def staff_import_template(request, pk: int):
    organization_for_staff(request.user, pk)
    response = HttpResponse(importer.template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="staff-import-template.xlsx"'
    return response
