"""`{{ field|as_filter_field }}`: crispy-forms' Bootstrap 5 field, built in Python.

Filter bars render on every request of every list; through crispy's templates a field cost
about 2 ms (its field.html, help and error includes, the widget's templates and one per
option), most of the time of a list page. The markup here is crispy's `bootstrap5/field.html`
for what filter bars hold — a label, a text/number/date input or a select, or a checkbox,
with help text — and the widget's own markup from `core.widgets`. Anything else (errors,
radio or multiple checkboxes, files, a form helper) goes to crispy itself.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.widgets import render_in_python, render_widget

register = template.Library()


def _widget_class(widget, bootstrap: str) -> str:
    """The class crispy's `crispy_field` gives the widget: its own, the widget's class name
    in lower case, then the Bootstrap class."""
    name = widget.__class__.__name__.lower()
    css = widget.attrs.get("class", "")
    if css:
        if css.find(name) == -1:
            css += f" {name}"
    else:
        css = name
    for part in bootstrap.split():
        if part not in css.split():
            css += f" {part}"
    return css


def _help(field) -> str:
    if not field.help_text:
        return ""
    if field.auto_id:
        return format_html(
            '<div id="{}_helptext" class="form-text">{}</div>',
            field.auto_id,
            mark_safe(field.help_text),  # crispy shows help text |safe, as written in code
        )
    return format_html('<div class="form-text">{}</div>', mark_safe(field.help_text))


@register.filter
def as_filter_field(field):
    widget = field.field.widget
    if (
        field.errors
        or field.is_hidden
        or field.use_fieldset
        or getattr(field.form, "helper", None) is not None
        or not render_in_python(widget)
    ):
        return as_crispy_field(field)
    checkbox = isinstance(widget, forms.CheckboxInput)
    bootstrap = (
        "form-check-input"
        if checkbox
        else "form-select"
        if isinstance(widget, forms.Select)
        else "form-control"
    )
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({"class": _widget_class(widget, bootstrap)})
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    html = render_widget(widget, field.html_name, field.value(), attrs)
    css = field.css_classes()
    wrapper_class = f" {css}" if css else ""
    required, asterisk = "", ""
    if field.field.required:
        required, asterisk = " requiredField", mark_safe('<span class="asteriskField">*</span>')
    if checkbox:
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}'
            '<label for="{}" class="form-check-label{}">{}{}</label>{}</div></div>',
            field.auto_id, wrapper_class, html, field.id_for_label, required, field.label,
            asterisk, _help(field),
        )  # fmt: skip
    label = ""
    if field.label:
        label_for = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
        label = format_html(
            '<label{} class="form-label{}">{}{}</label>', label_for, required, field.label, asterisk
        )
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}</div>',
        field.auto_id, wrapper_class, label, html, _help(field),
    )  # fmt: skip
