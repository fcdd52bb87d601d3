"""`{{ value|ddmmyyyy }}` and `{{ value|ddmmyyyy_hhmm }}`: dates as the portal writes them
(`core.dates`), available in every template (settings.TEMPLATES builtins)."""

from __future__ import annotations

from django import template

from core.dates import day_text, moment_text

register = template.Library()

register.filter("ddmmyyyy", day_text, expects_localtime=True)
register.filter("ddmmyyyy_hhmm", moment_text, expects_localtime=True)
