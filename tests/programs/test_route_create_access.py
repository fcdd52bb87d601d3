import pytest
from django.urls import reverse


@pytest.mark.parametrize("role", ["coordinator", "school_specialist", "head_a"])
def test_staff_without_a_teacher_record_are_refused_not_told_the_page_is_missing(
    district, client_for, role
):
    response = client_for(getattr(district, role)).get(reverse("programs:route_create"))
    assert response.status_code == 403


def test_a_teacher_opens_the_form_of_their_own_route(district, client_for):
    response = client_for(district.mentee_a).get(reverse("programs:route_create"))
    assert response.status_code == 200
