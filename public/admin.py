from django.contrib import admin

from public.models import NewsItem, PublicationConsent, PublicPage


class NewsInline(admin.TabularInline):
    model = NewsItem
    extra = 0


@admin.register(PublicPage)
class PublicPageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "municipality", "slug", "updated_at"]
    inlines = [NewsInline]


@admin.register(PublicationConsent)
class PublicationConsentAdmin(admin.ModelAdmin):
    list_display = ["person", "given_on", "withdrawn_on"]
    raw_id_fields = ["person"]
