from django.contrib import admin

from core.paging import CappedCountPaginator
from monitoring.models import (
    Deadline,
    LocalAct,
    Measure,
    Order,
    OrderPoint,
    ProgressEntry,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
)


@admin.register(LocalAct)
class LocalActAdmin(admin.ModelAdmin):
    list_display = ("organization", "type", "number", "adopted_on", "published_on")
    list_filter = ("type", "organization__kind")
    search_fields = ("organization__short_name", "number", "title")
    list_select_related = ("organization",)


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ("municipality", "academic_year", "kind", "due_on", "within_days")
    list_filter = ("academic_year", "kind")


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "respondent", "measure", "sort_order", "is_active")
    list_filter = ("respondent", "measure", "is_active")


class SurveyAnswerInline(admin.TabularInline):
    model = SurveyAnswer
    extra = 0

    def get_queryset(self, request):
        # Satisfaction is anonymous: not even the admin sees whose answer it was.
        return super().get_queryset(request).exclude(question__measure=Measure.SATISFACTION)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("program", "respondent", "stage", "filled_on")
    list_filter = ("respondent", "stage")
    raw_id_fields = ("program",)
    # Big tables: no full count, ordered by the key (an index), the mentee named in one query.
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_select_related = ("program__mentee",)
    ordering = ("-id",)
    inlines = [SurveyAnswerInline]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(admin.ModelAdmin):
    list_display = ("program", "academic_year", "period", "entered_as")
    list_filter = ("academic_year", "period")
    raw_id_fields = ("program",)
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_select_related = ("program__mentee",)
    ordering = ("-id",)


class OrderPointInline(admin.TabularInline):
    model = OrderPoint
    extra = 1


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("number", "signed_on", "title", "municipality", "organization_kind")
    list_filter = ("municipality", "organization_kind")
    filter_horizontal = ("organizations",)
    inlines = [OrderPointInline]
