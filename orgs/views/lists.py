"""Pages shared by the list imports of every app: upload → preview of changes → confirm once,
the template and the errors workbook (see `orgs.list_import`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from core.excel import XLSX_CONTENT_TYPE
from orgs.list_import import REGISTRY, ListImport
from orgs.models import Organization, PendingImport
from orgs.pending import pending_confirm, pending_get, pending_store
from orgs.permissions import organization_for_staff
from orgs.views.excel import StaffImportForm


class ListFileForm(StaffImportForm):
    """The same upload field and checks as the staff list; the columns are the list's."""

    def __init__(self, *args, importer: ListImport, **kwargs):
        self.importer = importer
        super().__init__(*args, **kwargs)
        self.fields["file"].label = gettext("File (.xlsx, .xls or .csv)")
        self.fields["file"].help_text = gettext(
            "The template or your own list: headings anywhere in the first rows, any order; "
            "up to 10,000 rows, up to 5 MB."
        )

    def read(self, content: bytes, name: str) -> None:
        from core.tabular import read_table

        read_table(content, name, self.importer.columns)


class _Refused(Exception):
    def __init__(self, context: dict):
        self.context = context


def _importer(kind: str) -> ListImport:
    importer = REGISTRY.get(kind)
    if importer is None:
        raise Http404
    return importer


def _url(organization: Organization, kind: str, token: str = "", sheet: str = "") -> str:
    url = reverse("orgs:list_import", args=[organization.pk, kind])
    query = {key: value for key, value in (("token", token), ("sheet", sheet)) if value}
    return f"{url}?{urlencode(query)}" if query else url


def _preview(importer, organization, pending: PendingImport, sheet: str) -> dict:
    from core.tabular import TableError

    try:
        preview = importer.check(
            organization, bytes(pending.content), pending.file_name, sheet or None
        )
    except TableError as error:
        return {"file_error": str(error), "file_name": pending.file_name}
    return {"preview": preview, "token": pending.token, "file_name": pending.file_name}


@login_required
@require_http_methods(["GET", "POST"])
def list_import(request, pk: int, kind: str):
    importer = _importer(kind)
    organization = organization_for_staff(request.user, pk, manage=True)
    context = {"organization": organization, "importer": importer, "kind": kind}
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, organization, importer, context)

    token = request.GET.get("token", "")
    pending = None
    if request.method == "GET" and token:
        pending = pending_get(user=request.user, organization=organization, kind=kind, token=token)
        if pending is None:
            messages.warning(
                request, gettext("The uploaded file has expired. Please upload it again.")
            )
            return redirect(_url(organization, kind))

    form = ListFileForm(request.POST or None, request.FILES or None, importer=importer)
    if request.method == "POST" and form.is_valid():
        pending = pending_store(
            user=request.user,
            organization=organization,
            kind=kind,
            file_name=form.cleaned_data["file"].name,
            content=form.content,
        )
        return redirect(_url(organization, kind, pending.token))
    context["form"] = form
    if pending is not None:
        if pending.confirmed_at is not None:
            context["done"] = pending
        else:
            context.update(_preview(importer, organization, pending, request.GET.get("sheet", "")))
    return render(request, "orgs/list_import.html", context)


def _confirm(request, organization, importer: ListImport, context: dict):
    kind = importer.kind
    sheet = request.POST.get("sheet", "")

    def apply(pending: PendingImport) -> dict:
        checked = _preview(importer, organization, pending, sheet)
        preview = checked.get("preview")
        if preview is None or not preview.is_valid:
            raise _Refused(checked)
        try:
            return importer.apply(user=request.user, organization=organization, preview=preview)
        except ValidationError as error:
            checked["import_error"] = " ".join(error.messages)
            raise _Refused(checked) from error
        except IntegrityError as error:  # the list changed meanwhile: all or nothing still
            checked["import_error"] = gettext(
                "The list changed while the file was being checked. Check the file again."
            )
            raise _Refused(checked) from error

    try:
        pending, applied = pending_confirm(
            user=request.user,
            organization=organization,
            kind=kind,
            token=request.POST.get("token", ""),
            sheet=sheet,
            apply=apply,
        )
    except _Refused as refused:
        reason = refused.context.pop("import_error", "")
        messages.error(
            request,
            gettext("Nothing is imported: %(reason)s") % {"reason": reason}
            if reason
            else gettext(
                "Nothing is imported: the file no longer passes the check. See the rows below."
            ),
        )
        context.update(refused.context, form=ListFileForm(importer=importer))
        return render(request, "orgs/list_import.html", context)
    if pending is None:
        messages.warning(request, gettext("The uploaded file has expired. Please upload it again."))
        return redirect(_url(organization, kind))
    if applied:
        messages.success(request, gettext("The list is imported."))
    else:
        messages.info(request, gettext("This file has already been imported; nothing more done."))
    return redirect(_url(organization, kind, pending.token))


@login_required
@require_GET
def list_import_template(request, pk: int, kind: str):
    importer = _importer(kind)
    organization = organization_for_staff(request.user, pk, manage=True)
    response = HttpResponse(importer.template(organization), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{importer.file_name}-template.xlsx"'
    return response


@login_required
@require_GET
def list_import_errors(request, pk: int, kind: str):
    importer = _importer(kind)
    organization = organization_for_staff(request.user, pk, manage=True)
    pending = pending_get(
        user=request.user, organization=organization, kind=kind, token=request.GET.get("token", "")
    )
    if pending is None or pending.confirmed_at is not None:
        raise Http404
    checked = _preview(importer, organization, pending, request.GET.get("sheet", ""))
    if "preview" not in checked:
        raise Http404
    content = importer.errors_workbook(bytes(pending.content), checked["preview"])
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{importer.file_name}-errors.xlsx"'
    return response
