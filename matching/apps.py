from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Choosing mentors and watching pairs")

    def ready(self) -> None:
        from matching.queries import pair_health_panel
        from mentoring.cards import register_pair_panel

        # The pair's own card shows its health (mentoring may not import matching).
        register_pair_panel(pair_health_panel)
