from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top layer: what spans the apps (the home page, the navigation, the demo and reference
    data of every app). Nothing below imports it."""

    name = "portal"
    verbose_name = _("Portal")
