import datetime

import time_machine
from django.urls import reverse


@time_machine.travel(datetime.date(2026, 11, 25), tick=False)
def test_new_pair_form_starts_with_the_usual_choices(district, client_for):
    form = client_for(district.curator_a).get(reverse("mentoring:pair_add")).context["form"]
    initial = {
        name: form[name].value() for name in ("form", "kind", "planned_start", "planned_end")
    }
    assert form.fields["form"].queryset.get(pk=initial["form"]).code == "pedagog_pedagog"
    assert form.fields["kind"].queryset.get(pk=initial["kind"]).code == "tradicionnoe"
    assert initial["planned_start"] == datetime.date(2026, 11, 25)
    assert initial["planned_end"] == datetime.date(2027, 5, 31)


@time_machine.travel(datetime.date(2027, 4, 10), tick=False)
def test_late_in_the_year_the_default_end_is_a_full_year_not_more(district, client_for):
    """31.05.2027 is less than 3 months away and 31.05.2028 more than the 12 allowed."""
    form = client_for(district.curator_a).get(reverse("mentoring:pair_add")).context["form"]
    assert form["planned_end"].value() == datetime.date(2028, 4, 10)
