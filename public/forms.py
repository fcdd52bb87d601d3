from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mentoring.forms import DateInput
from public.models import PublicPage


class PageForm(forms.ModelForm):
    class Meta:
        model = PublicPage
        fields = ["intro", "documents", "contacts"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 5}),
            "documents": forms.Textarea(attrs={"rows": 4}),
            "contacts": forms.Textarea(attrs={"rows": 3}),
        }


class NewsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    published_on = forms.DateField(label=_("Date"), widget=DateInput())
