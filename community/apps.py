from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Council of mentors, events and incentives")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from community import models
        from community.queries import person_panel

        # Records people change are in the change log (who edited or archived what).
        for model in (
            models.Event,
            models.EventParticipant,
            models.Nomination,
            models.Payment,
            models.CouncilMeeting,
            models.PairOrder,
        ):
            auditlog.register(model)
        from orgs.panels import register_person_panel

        # The person's card and the mentor bank entry show events and incentives (3.4).
        register_person_panel(person_panel)
