"""The one table of the toolbox: the one-time tokens of the creating forms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """A creating form that was saved. Its token is inserted in the same transaction as what
    the form creates, so a double click or a resubmit finds the row and creates nothing."""

    token = models.UUIDField(_("token"), primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    result_url = models.CharField(_("result"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("submitted form")
        verbose_name_plural = _("submitted forms")

    def __str__(self) -> str:
        return str(self.token)
