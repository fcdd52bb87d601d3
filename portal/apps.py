from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top layer: what spans the apps (the home page, the navigation, the demo and reference
    data of every app). Nothing below imports it."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from matching.recommendations import register_reader
        from portal.recommendations import council_recommendations

        # The council's recommendation beside the suggestions: community and matching may
        # not import each other, so the top layer joins them.
        register_reader(council_recommendations)
