from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from mentoring.imports import NeedsImport
        from mentoring.models import MentorProfile, NeedEntry, Pair
        from orgs.audit import register_person_record
        from orgs.list_import import register_list_import

        register_list_import(NeedsImport())

        # What is said about a person (results, why they need a mentor) is personal data too.
        register_person_record(
            "mentor",
            MentorProfile,
            _("mentor in the bank"),
            exclude_fields=["created_at", "updated_at"],
        )
        register_person_record(
            "need", NeedEntry, _("needs list entry"), exclude_fields=["created_at"]
        )
        # Ending and archiving a pair are in the log (its full history is the pair's events).
        register_person_record(
            "pair",
            Pair,
            _("pair or group"),
            include_fields=["status", "ended_on", "end_reason", "archived_at"],
        )
