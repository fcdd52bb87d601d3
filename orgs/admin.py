from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import PersonalRecordAdmin
from orgs.models import (
    Employment,
    Municipality,
    Organization,
    Person,
    Position,
    Region,
    RoleAssignment,
    User,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "authority_name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "committee_name"]
    list_select_related = ["region"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "kind", "municipality", "settlement"]
    list_filter = ["kind", "municipality"]
    search_fields = ["short_name", "full_name"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "group", "sort_order"]


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Person)
class PersonAdmin(PersonalRecordAdmin):
    list_display = ["full_name", "email", "teaching_since"]
    search_fields = ["search_key", "email"]
    inlines = [EmploymentInline]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Portal"), {"fields": ["person", "email_reminders"]}),
    ]
    raw_id_fields = ["person"]
    inlines = [RoleInline]
