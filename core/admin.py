"""The admin of personal records: nothing is deleted by accident, nothing silently.

`PersonalRecordAdmin` takes the delete button and the bulk delete away (for the record and
its inlines) and offers one separate action to the superuser, «Erase permanently (152-ФЗ
request)»: a page lists everything it would remove, and only a confirmed POST removes it,
with an entry in the admin's history and in the change log saying what went.
"""

from __future__ import annotations

from auditlog.models import LogEntry as ChangeLogEntry
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.erase import describe, erase, erase_plan


class PersonalRecordAdmin(admin.ModelAdmin):
    actions = ["erase_permanently"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # archived in the portal; a real delete is `erase_permanently`

    def has_erase_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            inline.has_delete_permission = lambda *args, **kwargs: False
        return inlines

    @admin.action(
        description=_("Erase permanently (a data-subject request under 152-ФЗ)"),
        permissions=["erase"],
    )
    def erase_permanently(self, request, queryset):
        objects = list(queryset)
        if request.POST.get("confirm") != "yes":
            plan = erase_plan(objects)
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Erase permanently"),
                "objects": objects,
                "plan": describe(plan),
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "action": "erase_permanently",
            }
            return TemplateResponse(request, "admin/erase_confirm.html", context)
        summaries = {obj.pk: ", ".join(describe(erase_plan([obj]))) for obj in objects}
        for obj in objects:
            # Written before the rows go: the entry names the record and what goes with it.
            ChangeLogEntry.objects.log_create(
                obj,
                force_log=True,
                action=ChangeLogEntry.Action.DELETE,
                changes={"erased (152-ФЗ)": [summaries[obj.pk], None]},
                actor=request.user,
            )
        self.log_deletions(request, objects)
        removed = erase(objects)
        messages.success(
            request,
            gettext("Erased permanently: %(what)s.") % {"what": "; ".join(describe(removed))},
        )
        return None
