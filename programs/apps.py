from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from programs.models import Diagnostic, Program

        # A mentee's difficulties and program are personal data (152-ФЗ): who changed them, when.
        auditlog.register(Program, exclude_fields=["created_at", "updated_at"])
        auditlog.register(Diagnostic)
