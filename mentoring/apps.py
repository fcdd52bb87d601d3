from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mentoring.models import MentorProfile, NeedEntry

        # What is said about a person (results, why they need a mentor) is personal data too.
        auditlog.register(MentorProfile, exclude_fields=["created_at", "updated_at"])
        auditlog.register(NeedEntry, exclude_fields=["created_at"])
