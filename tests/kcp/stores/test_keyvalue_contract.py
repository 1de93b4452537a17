"""One contract for the key-value store, run against the in-process store and a real Redis."""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio
from redis.exceptions import ConnectionError as RedisConnectionError

from kcp.settings import Settings
from kcp.stores.keyvalue import InProcessKeyValueStore, RedisKeyValueStore, open_keyvalue_store

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from kcp.stores.keyvalue import KeyValueStore

pytestmark = pytest.mark.asyncio

# Long enough that nothing expires while a test runs on a loaded machine.
LONG_TTL = 600.0
# Short enough to wait for; expiry is awaited by polling, never asserted against a clock.
SHORT_TTL = 0.05


@pytest_asyncio.fixture(params=["in-process", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[KeyValueStore]:
    namespace = f"test:{uuid.uuid4().hex}:"
    if request.param == "in-process":
        yield InProcessKeyValueStore(namespace)
        return
    redis = RedisKeyValueStore.from_url(request.getfixturevalue("redis_url"), namespace)
    try:
        yield redis
    finally:
        await redis.clear_namespace()
        await redis.close()


async def eventually_absent(store: KeyValueStore, key: str) -> bool:
    for _ in range(200):
        if await store.get(key) is None:
            return True
        await asyncio.sleep(SHORT_TTL)
    return False


async def test_a_value_set_is_read_back(store: KeyValueStore) -> None:
    await store.set("apq:abc", '{"query": "{ me { id } }"}', LONG_TTL)
    assert await store.get("apq:abc") == '{"query": "{ me { id } }"}'


async def test_a_missing_key_reads_as_none(store: KeyValueStore) -> None:
    assert await store.get("never-set") is None


async def test_setting_again_replaces_the_value(store: KeyValueStore) -> None:
    await store.set("k", "first")
    await store.set("k", "second")
    assert await store.get("k") == "second"


async def test_text_round_trips_unchanged(store: KeyValueStore) -> None:
    value = 'ünïcødé ✓ "quotes" \n newline and a long tail ' + "x" * 10_000
    await store.set("k", value)
    assert await store.get("k") == value


async def test_a_value_expires_after_its_ttl(store: KeyValueStore) -> None:
    await store.set("short", "v", SHORT_TTL)
    await store.set("long", "v", LONG_TTL)
    assert await eventually_absent(store, "short")
    assert await store.get("long") == "v"


async def test_delete_says_whether_the_key_existed(store: KeyValueStore) -> None:
    await store.set("k", "v")
    assert await store.delete("k") is True
    assert await store.get("k") is None
    assert await store.delete("k") is False


async def test_a_non_positive_ttl_is_refused(store: KeyValueStore) -> None:
    with pytest.raises(ValueError, match="positive"):
        await store.set("k", "v", 0)
    assert await store.get("k") is None


async def test_stores_with_different_namespaces_do_not_see_each_others_keys(store: KeyValueStore) -> None:
    other = InProcessKeyValueStore("other:") if isinstance(store, InProcessKeyValueStore) else None
    if other is None:
        assert isinstance(store, RedisKeyValueStore)
        other = RedisKeyValueStore(store._client, f"test:{uuid.uuid4().hex}:")  # noqa: SLF001 - same server, other namespace
    await store.set("shared-name", "mine")
    assert await other.get("shared-name") is None


async def test_concurrent_writers_leave_one_of_their_values(store: KeyValueStore) -> None:
    values = {f"writer-{n}" for n in range(50)}
    await asyncio.gather(*(store.set("contended", value, LONG_TTL) for value in values))
    assert await store.get("contended") in values


async def test_ping_answers(store: KeyValueStore) -> None:
    await store.ping()


async def test_settings_choose_the_implementation(redis_url: str) -> None:
    assert isinstance(open_keyvalue_store(Settings(redis_url=None)), InProcessKeyValueStore)
    real = open_keyvalue_store(Settings(redis_url=redis_url))
    try:
        assert isinstance(real, RedisKeyValueStore)
        await real.ping()
    finally:
        await real.close()


async def test_an_unreachable_redis_fails_ping_with_a_connection_error() -> None:
    unreachable = RedisKeyValueStore.from_url("redis://127.0.0.1:1/0")
    try:
        with pytest.raises(RedisConnectionError):
            await unreachable.ping()
    finally:
        await unreachable.close()


async def test_the_embedded_store_evicts_the_least_recently_used_past_its_budget() -> None:
    # As Redis does under maxmemory with allkeys-lru, which is how the deployment runs it.
    store = InProcessKeyValueStore("kv:", max_characters=1_000)
    await store.set("old", "x" * 300, LONG_TTL)
    await store.set("used", "x" * 300, LONG_TTL)
    await store.set("middle", "x" * 300, LONG_TTL)
    assert await store.get("used") is not None  # now the most recently used
    await store.set("new", "x" * 300, LONG_TTL)  # past the budget: the least recently used goes
    assert await store.get("old") is None
    await store.set("newer", "x" * 300, LONG_TTL)

    assert await store.get("middle") is None
    assert await store.get("used") == "x" * 300
    assert await store.get("new") == "x" * 300
    assert await store.get("newer") == "x" * 300


async def test_the_embedded_store_does_not_keep_a_value_larger_than_its_budget() -> None:
    store = InProcessKeyValueStore("kv:", max_characters=1_000)
    await store.set("kept", "v", LONG_TTL)
    await store.set("huge", "x" * 2_000, LONG_TTL)

    assert await store.get("huge") is None
    assert await store.get("kept") == "v"
