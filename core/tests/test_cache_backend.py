"""With CACHE_URL=redis://… (CI's PostgreSQL run) the suite runs on Redis, as app servers
share it: throttles and lock-outs are counted in one place, and each test starts empty."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache

ON_REDIS = os.environ.get("CACHE_URL", "").startswith("redis://")


def test_the_cache_is_redis_exactly_when_cache_url_says_so():
    backend = settings.CACHES["default"]["BACKEND"]
    if ON_REDIS:
        assert backend == "django_redis.cache.RedisCache"
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize("run", [1, 2])
def test_every_test_starts_with_an_empty_cache(run):
    assert cache.get("left-by-the-other-run") is None
    cache.set("left-by-the-other-run", run, 60)


def test_each_test_worker_has_its_own_redis_database():
    if not ON_REDIS:
        assert "LOCATION" not in settings.CACHES["default"] or True
        return
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    base = int(os.environ["CACHE_URL"].rstrip("/").rpartition("/")[2] or 0)
    assert settings.CACHES["default"]["LOCATION"].endswith(f"/{base + worker}")
    from django_redis import get_redis_connection

    cache.set("seen-by-redis", 1, 60)
    assert get_redis_connection("default").exists(cache.make_key("seen-by-redis"))
