import datetime

from django.urls import reverse

from monitoring.models import ActType, LocalAct


def test_a_local_act_without_a_file_has_nothing_to_download(district, client_for):
    act = LocalAct.objects.create(
        organization=district.school_a,
        type=ActType.REGULATION,
        number="12",
        adopted_on=datetime.date(2026, 7, 20),
    )
    response = client_for(district.curator_a).get(reverse("monitoring:act_file", args=[act.pk]))
    assert response.status_code == 404
