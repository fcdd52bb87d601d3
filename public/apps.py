from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public «Наставничество» pages")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from public.models import NewsItem, PublicPage

        auditlog.register(PublicPage)
        auditlog.register(NewsItem)
