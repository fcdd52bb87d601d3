"""Reads over the audit log (152-ФЗ): who changed which personal record, when, and how.

django-auditlog writes the entries; here they are scoped to what a user may see and turned
into rows a person can read, with a constant number of queries for a page of any size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import django_filters
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from dateutil import parser as date_parser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import BigIntegerField, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import day_text, moment_text
from orgs.forms import DATE_WIDGET
from orgs.models import Employment, Organization, Person, RoleAssignment, User, user_scope
from orgs.visibility import union_of

# What the log covers, under the names a coordinator uses. Other apps add their records of
# a person through `register_person_record` in their AppConfig.ready().
AUDITED_MODELS: dict[str, type[models.Model]] = {
    "teacher": Person,
    "position": Employment,
    "role": RoleAssignment,
    "account": User,
}
MODEL_LABELS = {
    "teacher": _("teacher"),
    "position": _("position"),
    "role": _("role"),
    "account": _("account"),
}
# Kinds whose entries carry person_id and organization_id in `additional_data`.
PERSON_IN_ORGANIZATION: list[str] = []
ACTION_LABELS = {
    LogEntry.Action.CREATE: _("created"),
    LogEntry.Action.UPDATE: _("changed"),
    LogEntry.Action.DELETE: _("deleted"),
}
HISTORY_LIMIT = 50
_TRUNCATE_AT = 140


def register_person_record(kind: str, model: type[models.Model], label, **options) -> None:
    """Log every change of `model` (personal data, 152-ФЗ) and show it in the coordinator's log
    and on the teacher's card. The model's `get_additional_data()` must give person_id and
    organization_id: that is how its entries are scoped."""
    auditlog.register(model, **options)
    AUDITED_MODELS[kind] = model
    MODEL_LABELS[kind] = label
    PERSON_IN_ORGANIZATION.append(kind)


def _person_in_organization(types: dict[str, ContentType]) -> list[ContentType]:
    return [types[kind] for kind in PERSON_IN_ORGANIZATION]


def _content_types() -> dict[str, ContentType]:
    """Kind → ContentType; Django caches these, so no query after the first call."""
    by_model = ContentType.objects.get_for_models(*AUDITED_MODELS.values())
    return {kind: by_model[model] for kind, model in AUDITED_MODELS.items()}


def _kind_of(content_type_id: int) -> str | None:
    for kind, content_type in _content_types().items():
        if content_type.pk == content_type_id:
            return kind
    return None


def _json_int(key: str) -> Cast:
    return Cast(KeyTextTransform(key, "additional_data"), BigIntegerField())


def log_entries() -> models.QuerySet:
    """Entries about the audited models, newest first, ready for a list."""
    return (
        LogEntry.objects.filter(content_type__in=_content_types().values())
        .annotate(
            entry_person=_json_int("person_id"), entry_organization=_json_int("organization_id")
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def entries_visible_to(user) -> models.QuerySet:
    """The log as the user may read it: everything for a superuser, the coordinated
    municipalities for a coordinator, nothing for anyone else.

    Entries are scoped by what they carry (additional_data, the changes of a created or
    deleted row), so records that no longer exist stay in their municipality's log.
    """
    entries = log_entries()
    scope = user_scope(user)
    if scope.is_superuser:
        return entries
    municipalities = scope.coordinated_municipalities
    if not municipalities:
        return entries.none()
    types = _content_types()
    organizations = Organization.objects.filter(municipality_id__in=municipalities).values("pk")
    people = _people_of(municipalities, organizations)
    municipality_keys = [str(pk) for pk in municipalities]
    role_rows = RoleAssignment.objects.filter(municipality_id__in=municipalities).values("pk")
    accounts = union_of(
        RoleAssignment.objects.filter(municipality_id__in=municipalities).values("user_id"),
        User.objects.filter(person_id__in=people).values("pk"),
    )
    return entries.filter(
        Q(content_type=types["teacher"], object_id__in=people)
        | Q(content_type=types["position"], entry_organization__in=organizations)
        | Q(content_type=types["role"])
        & (
            Q(entry_organization__in=organizations)
            | Q(object_id__in=role_rows)
            # A municipality-wide role (coordinator, specialist) that was created or deleted.
            | Q(changes__municipality__1__in=municipality_keys)
            | Q(changes__municipality__0__in=municipality_keys)
        )
        | Q(content_type=types["account"], object_id__in=accounts)
        | Q(content_type__in=_person_in_organization(types), entry_organization__in=organizations)
    )


def _people_of(municipalities: Iterable[int], organizations: models.QuerySet) -> models.QuerySet:
    """Ids of people who work or worked in the municipalities (also those since deleted)."""
    current = Employment.objects.filter(organization__municipality_id__in=municipalities)
    logged = (
        LogEntry.objects.filter(content_type=_content_types()["position"])
        .annotate(
            entry_person=_json_int("person_id"), entry_organization=_json_int("organization_id")
        )
        .filter(entry_organization__in=organizations)
        .values("entry_person")
    )
    # A UNION of the two id sets, not `pk IN (…) OR pk IN (…)`: the OR made PostgreSQL scan
    # every person of the region (30,000 at 60 municipalities) on each view of the log.
    return union_of(current.values("person_id"), logged)


def person_entries(person: Person, user) -> models.QuerySet:
    """The history of one person and of their jobs in organizations whose staff the user reads."""
    types = _content_types()
    visible = Organization.objects.with_staff_visible_to(user).values("pk")
    works_where_visible = Employment.objects.filter(person=person, organization__in=visible)
    if not user_scope(user).is_superuser and not works_where_visible.exists():
        return LogEntry.objects.none()
    return log_entries().filter(
        Q(content_type=types["teacher"], object_id=person.pk)
        | Q(
            content_type__in=[types["position"], *_person_in_organization(types)],
            entry_person=person.pk,
            entry_organization__in=visible,
        )
    )


# Rows for templates and Excel ------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    old: str | None
    new: str | None


@dataclass
class EntryRow:
    entry: LogEntry
    kind: str | None
    kind_label: str
    action_label: str
    actor_name: str
    object_label: str
    person_url: str | None = None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def timestamp(self) -> datetime.datetime:
        return self.entry.timestamp

    @property
    def is_update(self) -> bool:
        return self.entry.action == LogEntry.Action.UPDATE

    @property
    def changes_text(self) -> str:
        parts = []
        for change in self.changes:
            if self.is_update:
                parts.append(f"{change.label}: {change.old or '—'} → {change.new or '—'}")
            else:
                parts.append(f"{change.label}: {change.new or change.old or '—'}")
        return "; ".join(parts)


def describe(entries: Iterable[LogEntry], user) -> list[EntryRow]:
    """Readable rows for a page of entries: a fixed number of queries, whatever the size.

    Related rows named in the changes are fetched once per related model, and the
    existing person cards the user may open once for the whole page.
    """
    entries = list(entries)
    references: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes or {}).items():
            model_field = _model_field(model, name)
            if model_field is not None and model_field.concrete and model_field.is_relation:
                references[model_field.related_model].update(
                    _related_pk(model_field, value) for value in values
                )
    names = {
        related: {
            pk: _related_name(obj)
            for pk, obj in related._base_manager.in_bulk(
                [pk for pk in pks if pk is not None]
            ).items()
        }
        for related, pks in references.items()
    }
    person_ids = {pk for pk in (_person_id(entry) for entry in entries) if pk is not None}
    openable = (
        set(Person.objects.visible_to(user).filter(pk__in=person_ids).values_list("pk", flat=True))
        if person_ids
        else set()
    )
    rows = []
    for entry in entries:
        kind = _kind_of(entry.content_type_id)
        person_id = _person_id(entry)
        rows.append(
            EntryRow(
                entry=entry,
                kind=kind,
                kind_label=str(MODEL_LABELS.get(kind, entry.content_type.name)),
                action_label=str(ACTION_LABELS.get(entry.action, entry.get_action_display())),
                actor_name=entry.actor.display_name if entry.actor else gettext("system"),
                object_label=entry.object_repr,
                person_url=(
                    Person(pk=person_id).get_absolute_url() if person_id in openable else None
                ),
                changes=_changes(entry, names),
            )
        )
    return rows


def _person_id(entry: LogEntry) -> int | None:
    if entry.content_type.model_class() is Person:
        return entry.object_id
    return getattr(entry, "entry_person", None)


def _model_field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _related_pk(model_field, value):
    if value in (None, "None", ""):
        return None
    try:
        return model_field.related_model._meta.pk.to_python(value)
    except Exception:  # an old value stored as text; shown as it is
        return None


def _related_name(obj) -> str:
    return obj.display_name if isinstance(obj, User) else str(obj)


def _changes(entry: LogEntry, names: dict) -> list[FieldChange]:
    model = entry.content_type.model_class()
    changes = []
    for name, values in (entry.changes or {}).items():
        model_field = _model_field(model, name)
        if model_field is not None and (not model_field.concrete or model_field.primary_key):
            continue  # the id, and reverse relations auditlog lists as "orgs.Employment.None"
        old, new = (list(values) + [None, None])[:2]
        old, new = _display(model_field, old, names), _display(model_field, new, names)
        if entry.action != LogEntry.Action.UPDATE and not (old or new):
            continue  # an empty field of a created or deleted row says nothing
        label = capfirst(str(model_field.verbose_name)) if model_field is not None else name
        changes.append(FieldChange(label=label, old=old, new=new))
    return changes


def _display(model_field, value, names: dict) -> str | None:
    if value is None or value == "None":
        return None
    value = str(value)
    if model_field is None:
        return value
    if model_field.is_relation:
        pk = _related_pk(model_field, value)
        known = names.get(model_field.related_model, {})
        if pk in known:
            return known[pk]
        return gettext("deleted record #%(pk)s") % {"pk": value}
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return gettext("yes") if value == "True" else gettext("no")
    if isinstance(model_field, models.DateTimeField):
        return _format_moment(value)
    if isinstance(model_field, models.DateField):
        try:
            return day_text(date_parser.parse(value).date())
        except (ValueError, OverflowError):
            return value
    if len(value) > _TRUNCATE_AT:
        return value[:_TRUNCATE_AT] + "…"
    return value


def _format_moment(value: str) -> str:
    try:
        moment = date_parser.parse(value)
    except (ValueError, OverflowError):
        return value
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment_text(moment)


# Filters -------------------------------------------------------------------------------


class AuditFilter(django_filters.FilterSet):
    """Filters of the audit log; the same filter serves the page and the Excel export."""

    date_from = django_filters.DateFilter(
        label=_("From"), field_name="timestamp", lookup_expr="date__gte", widget=DATE_WIDGET
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="timestamp", lookup_expr="date__lte", widget=DATE_WIDGET
    )
    actor = django_filters.ModelChoiceFilter(
        label=_("Who"), queryset=User.objects.none(), empty_label=_("Anyone")
    )
    model = django_filters.ChoiceFilter(
        label=_("Record"),
        choices=lambda: list(MODEL_LABELS.items()),  # apps add kinds when they are ready
        method="filter_model",
        empty_label=_("Any record"),
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"),
        choices=[(action, label) for action, label in ACTION_LABELS.items()],
        empty_label=_("Any action"),
    )
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")

    class Meta:
        model = LogEntry
        fields = ["date_from", "date_to", "actor", "model", "action", "q"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["actor"].queryset = User.objects.filter(
                pk__in=entries_visible_to(request.user).values("actor_id")
            ).order_by("last_name", "first_name", "username")
            self.form.fields["actor"].label_from_instance = lambda user: user.display_name

    def filter_model(self, queryset, name, value):
        return queryset.filter(content_type=_content_types()[value])

    def filter_q(self, queryset, name, value):
        """Every word in the record's name; people also by their normalized name."""
        by_repr = Q()
        for word in value.split():
            by_repr &= Q(object_repr__icontains=word)
        people = Person.objects.search(value).values("pk")
        return queryset.filter(
            by_repr
            | Q(entry_person__in=people)
            | Q(content_type=_content_types()["teacher"], object_id__in=people)
        )


def _bulk_value(field, instance) -> str:
    if field.is_relation and field.is_cached(instance):
        related = field.get_cached_value(instance)
        return "None" if related is None else str(related)
    value = field.value_from_object(instance)
    return "None" if value is None else str(value)


def _bulk_changes(old, new) -> dict[str, list[str]]:
    """What django-auditlog would record, without a query per row: related rows are named
    only when already loaded (else their id)."""
    changes = {}
    for model_field in new._meta.concrete_fields:
        if model_field.primary_key or model_field.name in (
            "created_at",
            "updated_at",
            "search_key",
        ):
            continue
        after = _bulk_value(model_field, new)
        before = _bulk_value(model_field, old) if old is not None else "None"
        if before != after:
            changes[model_field.name] = [before, after]
    return changes


def log_bulk(objects, *, action: int, actor, old: dict | None = None, describe=str) -> int:
    """Change-log entries for rows written with bulk_create / bulk_update, which django-auditlog
    does not see (an import of thousands of teachers must still be in the log, 152-ФЗ).

    `old` maps (model, pk) to the row as it was, for updates; `describe` names a row without
    a query. One query for any number of rows.
    """
    from auditlog.cid import get_cid

    entries = []
    now = timezone.now()
    cid = get_cid()
    content_types: dict[type, ContentType] = {}
    for instance in objects:
        model = type(instance)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        changes = _bulk_changes((old or {}).get((model, instance.pk)), instance)
        if not changes:
            continue
        entries.append(
            LogEntry(
                content_type=content_types[model],
                object_pk=str(instance.pk),
                object_id=instance.pk,
                object_repr=describe(instance),
                action=action,
                changes=changes,
                actor=actor,
                timestamp=now,
                additional_data=instance.get_additional_data(),
                cid=cid,
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
