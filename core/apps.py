from django.apps import AppConfig

EMPTY_CHOICE = "—"


class CoreConfig(AppConfig):
    """The toolbox: its Russian catalogue (core/locale), the portal-wide form defaults and the
    one-time tokens of creating forms."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import lookups  # noqa: F401  (registers the `__any_of` lookup)

        use_dash_for_empty_choices()


def use_dash_for_empty_choices() -> None:
    """Every select's empty choice reads «—», as the portal's own selects do, instead of
    Django's `---------` (a screen reader spells it out as nine dashes).

    Django has no setting for it: the model fields' blank choice is a module-level list and
    ModelChoiceField's default is a keyword default, so both are changed here once, at start.
    """
    from django.db.models import fields
    from django.forms import models as form_models

    fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]
    form_models.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = EMPTY_CHOICE
