from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Organizations and staff")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from orgs import two_factor  # noqa: F401  (sign-in hooks: session length, 2nd step)
        from orgs.models import Employment, Person, RoleAssignment, User

        # Personal data (152-ФЗ): every change of these rows is logged with its author.
        auditlog.register(
            Person,
            include_fields=[
                "last_name",
                "first_name",
                "middle_name",
                "email",
                "phone",
                "teaching_since",
                "career_since",
            ],
        )
        auditlog.register(Employment)
        auditlog.register(RoleAssignment)
        auditlog.register(
            User,
            include_fields=[
                "username",
                "first_name",
                "last_name",
                "email",
                "is_active",
                "person",
                "email_reminders",
            ],
        )
