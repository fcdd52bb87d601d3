from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The toolbox: its Russian catalogue (core/locale) and the one-time tokens of creating forms."""

    name = "core"
    verbose_name = "Core"
