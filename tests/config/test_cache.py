"""The Redis cache keeps one client per connection pool (Django's builds one per call)."""

from __future__ import annotations

from config.cache import RedisCache


def test_one_redis_client_per_pool_is_reused() -> None:
    cache = RedisCache("redis://127.0.0.1:6379/15;redis://127.0.0.1:6379/14", {})
    client = cache._cache

    writer = client.get_client(write=True)

    assert client.get_client(write=True) is writer  # the first server takes the writes
    assert writer.connection_pool is client._get_connection_pool(True)
    readers = {id(client.get_client()) for _ in range(20)}  # reads go to the other server
    assert len(readers) == 1 and id(writer) not in readers
    assert {id(c) for c in client._clients.values()} == readers | {id(writer)}
    assert len(client._pools) == 2
