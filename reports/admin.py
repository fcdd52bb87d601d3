from django.contrib import admin

from reports.models import ReminderLetter, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "academic_year", "status", "requested_by", "requested_at")
    list_filter = ("kind", "status", "academic_year")
    list_select_related = ("requested_by",)
    readonly_fields = ("file", "size", "attempts", "started_at", "finished_at", "failure_reason")


@admin.register(ReminderLetter)
class ReminderLetterAdmin(admin.ModelAdmin):
    list_display = ("user", "week", "sent_at", "items")
    list_filter = ("week",)
    list_select_related = ("user",)
