from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The annual analytic reports (ordered, built by Celery, downloaded) and the weekly
    reminder letters: what the portal sends out of itself, on a schedule or on request."""

    name = "reports"
    verbose_name = _("Reports")
