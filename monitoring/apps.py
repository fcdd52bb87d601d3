from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from monitoring.imports import Stage1Import
        from orgs.list_import import register_list_import

        register_list_import(Stage1Import())

        from auditlog.registry import auditlog

        from monitoring.models import Order, OrderPoint

        # The committee's orders are edited in the portal: who changed what is kept.
        auditlog.register(Order, m2m_fields={"organizations"})
        auditlog.register(OrderPoint)

        from matching.health import SATISFACTION_DROP, SATISFACTION_DROP_LABEL, register_check
        from monitoring.surveys import satisfaction_dropped

        # A fall in satisfaction between two surveys of the pair's timeline needs a check.
        register_check(SATISFACTION_DROP, SATISFACTION_DROP_LABEL, satisfaction_dropped)

        from monitoring import signals

        # Saved records mark their organization's dashboard facts out of date.
        signals.connect()
