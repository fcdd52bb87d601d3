from django.contrib import admin

from core.admin import PersonalRecordAdmin
from core.paging import CappedCountPaginator
from programs.models import (
    Activity,
    Diagnostic,
    DifficultyArea,
    DifficultyItem,
    Product,
    Program,
    ProgramArea,
    Route,
    RouteItem,
    RouteVersion,
)


class DifficultyItemInline(admin.TabularInline):
    model = DifficultyItem
    extra = 1


@admin.register(DifficultyArea)
class DifficultyAreaAdmin(admin.ModelAdmin):
    list_display = ("sort_order", "name", "code", "is_active")
    list_display_links = ("name",)
    inlines = [DifficultyItemInline]


class ProgramAreaInline(admin.TabularInline):
    model = ProgramArea
    extra = 0


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ("title", "planned_on", "responsible", "area", "status", "result")


@admin.register(Program)
class ProgramAdmin(PersonalRecordAdmin):
    list_display = ("mentee", "pair", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    list_select_related = ("mentee", "pair__mentor")
    search_fields = ("mentee__search_key",)
    show_full_result_count = False
    paginator = CappedCountPaginator
    ordering = ("-id",)  # the primary key's index: newest first
    raw_id_fields = ("pair", "mentee", "approved_by", "created_by")
    inlines = [ProgramAreaInline, ActivityInline]


@admin.register(Diagnostic)
class DiagnosticAdmin(PersonalRecordAdmin):
    list_display = ("mentee", "pair", "stage", "respondent", "filled_on")
    list_filter = ("stage", "respondent")
    list_select_related = ("mentee", "pair__mentor")
    show_full_result_count = False
    paginator = CappedCountPaginator
    raw_id_fields = ("pair", "mentee", "filled_by")


class RouteItemInline(admin.TabularInline):
    model = RouteItem
    extra = 0
    fields = ("kind", "title", "planned_start", "planned_end", "hours", "status")


class RouteVersionInline(admin.TabularInline):
    """Versions are a record: shown, never edited or deleted."""

    model = RouteVersion
    extra = 0
    can_delete = False
    readonly_fields = ("number", "made_on", "made_by", "reason", "changes")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Route)
class RouteAdmin(PersonalRecordAdmin):
    list_display = ("person", "organization", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    raw_id_fields = ("person", "organization", "created_by")
    inlines = [RouteItemInline, RouteVersionInline]


@admin.register(Product)
class ProductAdmin(PersonalRecordAdmin):
    list_display = ("title", "kind", "author", "organization", "status")
    list_filter = ("status", "kind")
    list_select_related = ("author", "organization")
    raw_id_fields = (
        "author",
        "organization",
        "activity",
        "route_item",
        "proposed_by",
        "decided_by",
    )
