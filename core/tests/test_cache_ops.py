"""`core.cache_ops`: the same entries as Django's cache API writes, in one round trip on Redis."""

from django.core.cache import cache

from core import cache_ops
from core.tests.test_cache_backend import ON_REDIS


def test_set_forever_writes_what_set_many_writes_and_none_expires():
    cache_ops.set_forever({"qc:test:a": "x1", "qc:test:b": "x2"})
    assert cache.get_many(["qc:test:a", "qc:test:b"]) == {"qc:test:a": "x1", "qc:test:b": "x2"}
    if ON_REDIS:
        from django_redis import get_redis_connection

        redis = get_redis_connection("default")
        assert redis.ttl(cache.make_key("qc:test:a")) == -1  # no expiry, as timeout=None
        assert cache.ttl("qc:test:b") is None


def test_add_and_get_keeps_the_first_value():
    assert cache_ops.add_and_get("qc:test:v", "first") == "first"
    assert cache_ops.add_and_get("qc:test:v", "second") == "first"
    assert cache.get("qc:test:v") == "first"
    cache.set("qc:test:w", "set elsewhere", timeout=None)
    assert cache_ops.add_and_get("qc:test:w", "mine") == "set elsewhere"


def test_each_is_one_redis_round_trip_and_other_caches_get_the_django_api(monkeypatch):
    from django.core.cache import caches

    if not ON_REDIS:  # locmem (development, the SQLite suite): Django's API as before
        calls = []
        backend = caches["default"]
        monkeypatch.setattr(backend, "set_many", lambda *a, **k: calls.append((a, k)))
        cache_ops.set_forever({"qc:test:a": "1"})
        assert calls == [(({"qc:test:a": "1"},), {"timeout": None})]
        return
    from redis.client import Pipeline, Redis

    sent = []
    original, pipelined = Redis.execute_command, Pipeline.execute

    def command(self, *args, **kwargs):
        sent.append(args[0])
        return original(self, *args, **kwargs)

    def pipeline(self, *args, **kwargs):
        sent.append("pipeline")
        return pipelined(self, *args, **kwargs)

    monkeypatch.setattr(Redis, "execute_command", command)
    monkeypatch.setattr(Pipeline, "execute", pipeline)
    cache_ops.set_forever({"qc:test:a": "1", "qc:test:b": "2", "qc:test:c": "3"})
    assert sent == ["MSET"]
    sent.clear()
    cache_ops.add_and_get("qc:test:v", "first")
    assert sent == ["pipeline"]
