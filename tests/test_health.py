import pytest
from django.urls import reverse


@pytest.mark.redis
def test_health_reports_database_and_redis(db, client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_health_reports_a_redis_that_does_not_answer(db, client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["redis"].startswith("error")
