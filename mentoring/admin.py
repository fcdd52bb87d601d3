from django.contrib import admin

from core.admin import PersonalRecordAdmin
from core.paging import CappedCountPaginator
from mentoring.models import (
    Meeting,
    MeetingAttendance,
    MeetingFile,
    MentoringForm,
    MentorProfile,
    NeedEntry,
    NeedsList,
    Pair,
    PairEvent,
    PairMentee,
)


@admin.register(MentoringForm)
class MentoringFormAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "code", "sort_order"]
    list_filter = ["type"]


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["person", "organization", "max_mentees", "is_active"]
    list_filter = ["is_active", "organization__kind"]
    search_fields = ["person__search_key"]
    raw_id_fields = ["person"]


class NeedEntryInline(admin.TabularInline):
    model = NeedEntry
    raw_id_fields = ["person", "decided_by"]
    extra = 0


@admin.register(NeedsList)
class NeedsListAdmin(admin.ModelAdmin):
    list_display = ["organization", "academic_year", "updated_on"]
    list_filter = ["academic_year"]
    inlines = [NeedEntryInline]


class PairMenteeInline(admin.TabularInline):
    model = PairMentee
    raw_id_fields = ["person"]
    extra = 0


class PairEventInline(admin.TabularInline):
    model = PairEvent
    extra = 0
    readonly_fields = ["at", "user", "action", "details"]
    can_delete = False


@admin.register(Pair)
class PairAdmin(PersonalRecordAdmin):
    """Read mostly: changes go through the portal's screens so the history stays complete."""

    list_display = ["mentor", "topic", "organization", "status", "planned_start", "planned_end"]
    list_filter = ["status", "form", "kind"]
    search_fields = ["mentor__search_key", "topic"]
    raw_id_fields = ["mentor"]
    # Big table: no count of every row, the order an index gives, the names in the same query.
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_select_related = ["mentor", "organization"]
    ordering = ["-id"]  # the primary key's index: newest first
    inlines = [PairMenteeInline, PairEventInline]


class MeetingAttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    raw_id_fields = ["person"]
    extra = 0


class MeetingFileInline(admin.TabularInline):
    model = MeetingFile
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(PersonalRecordAdmin):
    list_display = ["held_at", "topic", "pair", "format"]
    list_filter = ["format"]
    raw_id_fields = ["pair"]
    # 600,000 rows in a region: no full count (CappedCountPaginator stops at 10,000), the
    # order of the primary key's index (newest entered first; an index on held_at alone
    # would lure the scoped lists' plans into reading the whole region in date order), the
    # pair and its mentor joined.
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_select_related = ["pair__mentor"]
    ordering = ["-id"]
    inlines = [MeetingAttendanceInline, MeetingFileInline]
