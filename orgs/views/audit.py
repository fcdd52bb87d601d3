"""The change log of personal records (152-ФЗ), read by the municipal coordinator."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.excel import xlsx_response
from core.listing import FilteredListView
from orgs.audit import AuditFilter, EntryRow, describe, entries_visible_to

EXPORT_BATCH = 500


class AuditLogView(LoginRequiredMixin, FilteredListView):
    """Who changed which teacher, job, role or account, and how; filtered, paged, exported."""

    template_name = "orgs/audit_log.html"
    filterset_class = AuditFilter
    export_filename = "audit-log.xlsx"
    export_title = _("Change log")
    export_headers = (
        _("Date"),
        _("Time"),
        _("Who"),
        _("Record"),
        _("Name"),
        _("Action"),
        _("Changes"),
    )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.can_view_audit:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return entries_visible_to(self.request.user)

    def export(self, queryset):
        return xlsx_response(
            self.export_filename,
            str(self.export_title),
            [str(header) for header in self.export_headers],
            (self.export_row(row) for row in self._rows_in_batches(queryset)),
        )

    def _rows_in_batches(self, queryset):
        # Described a batch at a time, so related names cost a few queries per batch.
        batch = []
        for entry in queryset.iterator(chunk_size=EXPORT_BATCH):
            batch.append(entry)
            if len(batch) == EXPORT_BATCH:
                yield from describe(batch, self.request.user)
                batch = []
        yield from describe(batch, self.request.user)

    def export_row(self, row: EntryRow):
        moment = timezone.localtime(row.timestamp)
        return (
            moment.date(),
            moment.strftime("%H:%M"),
            row.actor_name,
            row.kind_label,
            row.object_label,
            row.action_label,
            row.changes_text,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = describe(context["object_list"], self.request.user)
        return context
