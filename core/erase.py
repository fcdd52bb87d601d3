"""The real delete of personal records, for a data-subject request under 152-ФЗ.

Personal records are protected from cascades (`on_delete=PROTECT`): deleting a pair or a
person by accident stops at its meetings, programs or positions. This is the one deliberate
way through: it removes the records that protect the chosen ones first, then the chosen ones,
and says what it removed — or, as a dry run, what it would remove.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector

MAX_DEPTH = 10


class _DryRun(Exception):
    pass


def _erase(objects: Sequence[Model], removed: Counter, depth: int = 0) -> None:
    if not objects:
        return
    if depth > MAX_DEPTH:
        raise RuntimeError("records protect each other too deeply to erase")
    while True:
        collector = Collector(using=DEFAULT_DB_ALIAS, origin=objects[0])
        try:
            collector.collect(list(objects))
            break
        except ProtectedError as error:
            blockers = error.protected_objects
        except RestrictedError as error:
            blockers = error.restricted_objects
        by_model: dict[type[Model], list[Model]] = {}
        for blocker in blockers:
            by_model.setdefault(type(blocker), []).append(blocker)
        for group in by_model.values():
            _erase(group, removed, depth + 1)
    _count, per_model = collector.delete()
    removed.update({label: n for label, n in per_model.items() if n})


def erase(objects: Sequence[Model]) -> Counter:
    """Delete `objects` with everything that depends on them; model label → rows removed."""
    removed: Counter = Counter()
    with transaction.atomic():
        _erase(list(objects), removed)
    return removed


def erase_plan(objects: Sequence[Model]) -> Counter:
    """What `erase` would remove, counted by doing it in a transaction that is rolled back."""
    removed: Counter = Counter()
    keys = [obj.pk for obj in objects]
    try:
        with transaction.atomic():
            _erase(list(objects), removed)
            raise _DryRun
    except _DryRun:
        pass
    for obj, pk in zip(objects, keys, strict=True):  # the dry run emptied their primary keys
        obj.pk = pk
    return removed


def describe(removed: Counter) -> list[str]:
    """«встречи: 6» lines, in the models' own (translated) plural names."""
    from django.apps import apps

    lines = []
    for label, count in sorted(removed.items()):
        model = apps.get_model(label)
        lines.append(f"{model._meta.verbose_name_plural}: {count}")
    return lines
