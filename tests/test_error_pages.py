from django.urls import reverse


def test_forbidden_action_explains_itself_in_russian(district, client_for):
    url = reverse("orgs:teacher_add", args=[district.school_a.pk])
    response = client_for(district.coordinator).get(url)
    assert response.status_code == 403
    assert "Нет доступа" in response.content.decode()


def test_missing_page_says_so_in_russian(district, client_for):
    url = reverse("orgs:organization_detail", args=[district.school_b.pk])
    response = client_for(district.curator_a).get(url)
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
