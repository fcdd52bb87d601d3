from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        from orgs.audit import register_person_record
        from programs.models import Diagnostic, Program

        # A mentee's difficulties and program are personal data (152-ФЗ): who changed them, when.
        register_person_record(
            "program",
            Program,
            _("personalized program"),
            exclude_fields=["created_at", "updated_at"],
        )
        register_person_record("diagnostic", Diagnostic, _("diagnostics of difficulties"))
