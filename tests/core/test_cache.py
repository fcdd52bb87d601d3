"""Redis gone: the cache's reads are misses and its writes are skipped, so the pages that
keep their tables in it (the dashboards, the region) are still shown; with Redis answering
it keeps and returns values as Django's Redis cache does."""

from __future__ import annotations

import os
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.cache import TolerantRedisCache
from monitoring import facts

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def dead_cache() -> TolerantRedisCache:
    return TolerantRedisCache(DEAD, {})


def test_an_unreachable_redis_reads_as_a_miss_and_writes_nothing():
    gone = dead_cache()
    started = time.monotonic()
    assert gone.get("key") is None
    assert gone.get("key", "default") == "default"
    assert gone.get_many(["a", "b"]) == {}
    assert gone.get_or_set("key", lambda: 42) == 42
    assert gone.add("key", 1) is False
    assert gone.set("key", 1) is None
    assert gone.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert gone.has_key("key") is False
    assert gone.delete("key") is False
    assert gone.incr("key") is None
    assert time.monotonic() - started < 5  # refused at once, not waited for


@pytest.mark.redis
def test_an_answering_redis_keeps_values_and_says_what_is_missing():
    live = TolerantRedisCache(os.environ["REDIS_URL"], {})
    key = f"test-tolerant-{time.monotonic_ns()}"
    live.set(key, {"pairs": 3}, 30)
    assert live.get(key) == {"pairs": 3}
    assert live.add(f"{key}:n", 1, 30) is True
    assert live.incr(f"{key}:n") == 2
    with pytest.raises(ValueError):  # a missing key is still Django's ValueError
        live.incr(f"{key}:absent")
    live.delete_many([key, f"{key}:n"])
    assert live.get(key) is None
    live.close()


@pytest.fixture
def redis_gone(settings):
    settings.CACHES = {"default": {"BACKEND": "core.cache.TolerantRedisCache", "LOCATION": DEAD}}
    yield
    cache.close()


@pytest.mark.django_db
def test_dashboards_are_shown_with_redis_gone(district, client_for, redis_gone):
    facts.refresh_all()
    municipal = client_for(district.coordinator).get(reverse("monitoring:dashboard"))
    assert municipal.status_code == 200
    assert municipal.context["tables"]["indicators"].rows
    regional = client_for(district.regional_coordinator).get(reverse("monitoring:region"))
    assert regional.status_code == 200
    assert district.municipality.name in regional.content.decode()
