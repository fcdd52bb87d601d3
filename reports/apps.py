from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The annual analytic reports (ordered, built by Celery, downloaded) and the weekly
    reminder letters: what the portal sends out of itself, on a schedule or on request."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from monitoring.reported import register_reported_values
        from reports.services import issued_values_link

        # The dashboard links a year to the numbers of the report issued for it.
        register_reported_values(issued_values_link)
