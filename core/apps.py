from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Installed only so that its Russian catalogue (core/locale) is read."""

    name = "core"
    verbose_name = "Core"
