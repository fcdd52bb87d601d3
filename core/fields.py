"""Form fields that cost no query of their own."""

from __future__ import annotations

import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator


class _LoadedIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.objects:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.objects) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.objects)


class LoadedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over objects the view has already loaded (`field.objects`): its
    options and its cleaning read that list instead of querying again — a select rendered
    and validated on every request costs one query for all the fields that share the list,
    not two per field. The same choices, labels and "invalid choice" error as Django's."""

    iterator = _LoadedIterator

    def __init__(self, *, objects=(), **kwargs):
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)
        self.objects = objects

    @property
    def objects(self) -> list:
        return self._objects

    @objects.setter
    def objects(self, objects) -> None:
        self._objects = list(objects)
        self.widget.choices = self.choices

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if hasattr(value, "_meta"):  # a model instance, as initial data may give
            value = getattr(value, key)
        for obj in self._objects:
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )


class _OneQueryIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class OneQueryModelChoiceField(forms.ModelChoiceField):
    """Django's ModelChoiceField whose options are read with one plain query, not through a
    server-side cursor (see `OneQueryFilterChoices`): for a filter's few dozen options."""

    iterator = _OneQueryIterator


class OneQueryFilterChoices(django_filters.fields.ModelChoiceIterator, _OneQueryIterator):
    """django-filter's choices of a model (its «empty» and «null» options kept), read with one
    plain query. Django reads them through `QuerySet.iterator()`, which on PostgreSQL is a
    server-side cursor — DECLARE, FETCH, CLOSE, three round trips — to save memory on
    choice lists far longer than a filter bar's few dozen organizations."""


def read_choices_in_one_query(form: forms.Form) -> None:
    """Give the form's django-filter model choice fields `OneQueryFilterChoices` (those whose
    widget still reads the field's queryset, not a list the filter set gave it)."""
    for field in form.fields.values():
        if (
            type(getattr(field.widget, "choices", None))
            is django_filters.fields.ModelChoiceIterator
        ):
            field.iterator = OneQueryFilterChoices
            field.widget.choices = field.choices
