from django.contrib import admin

from community.models import (
    Council,
    CouncilDecision,
    CouncilMeeting,
    CouncilMember,
    Event,
    EventParticipant,
    Nomination,
    PairOrder,
    Payment,
)


class EventParticipantInline(admin.TabularInline):
    model = EventParticipant
    raw_id_fields = ["person"]
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "level", "organization", "starts_on"]
    list_filter = ["level", "kind"]
    inlines = [EventParticipantInline]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "stage", "organization", "proposed_on"]
    list_filter = ["kind", "stage"]
    raw_id_fields = ["person"]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["person", "organization", "amount", "percent", "starts_on", "ends_on"]
    raw_id_fields = ["person"]


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    raw_id_fields = ["person"]
    extra = 0


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["organization", "head"]
    inlines = [CouncilMemberInline]
    raw_id_fields = ["head", "secretary"]


class CouncilDecisionInline(admin.StackedInline):
    model = CouncilDecision
    extra = 0
    raw_id_fields = ["program", "product", "mentor", "mentee", "nomination", "correction"]


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(admin.ModelAdmin):
    list_display = ["council", "number", "held_on"]
    inlines = [CouncilDecisionInline]
    filter_horizontal = ["attended"]


@admin.register(PairOrder)
class PairOrderAdmin(admin.ModelAdmin):
    list_display = ["organization", "kind", "number", "date"]
    filter_horizontal = ["pairs"]
