"""The router's LRU: bounded by entries and, where entries differ in size, by their total weight."""

from __future__ import annotations

from router.lru import LruCache


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: LruCache[str, int] = LruCache(2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 0)  # a hit: "a" is now the most recent
    cache.get("c", lambda: 3)

    assert cache.seen("a")
    assert not cache.seen("b")
    assert cache.seen("c")


def test_entries_are_evicted_until_the_weight_fits() -> None:
    cache: LruCache[str, str] = LruCache(100, max_weight=10)
    for name in "abcd":
        cache.get(name, lambda name=name: name, weight=2)
    cache.get("big", lambda: "big", weight=2)
    cache.put("heavier", "x", weight=2)

    assert len(cache) == 5
    assert cache.weight == 10
    cache.put("one more", "x", weight=1)
    assert cache.weight <= 10
    assert not cache.seen("a")


def test_an_entry_over_a_quarter_of_the_budget_is_computed_but_not_kept() -> None:
    cache: LruCache[str, str] = LruCache(100, max_weight=100)
    cache.get("small", lambda: "kept", weight=25)
    computed = cache.get("huge", lambda: "answer", weight=26)

    assert computed == "answer"
    assert not cache.seen("huge")
    assert cache.seen("small")
    assert cache.weight == 25


def test_replacing_an_entry_replaces_its_weight() -> None:
    cache: LruCache[str, str] = LruCache(100, max_weight=100)
    cache.put("a", "first", weight=20)
    cache.put("a", "second", weight=5)

    assert cache.weight == 5
    assert cache.get("a", lambda: "unused") == "second"


def test_a_weight_can_be_told_by_the_computed_value() -> None:
    cache: LruCache[str, str] = LruCache(100, max_weight=100)
    cache.get("a", lambda: "x" * 20, weight=len)

    assert cache.weight == 20


def test_a_second_sight_cache_keeps_only_what_is_asked_for_twice() -> None:
    cache: LruCache[str, str] = LruCache(2, second_sight=True)
    computed: list[str] = []

    def compute(name: str) -> str:
        computed.append(name)
        return name.upper()

    assert cache.get("once", lambda: compute("once")) == "ONCE"
    for n in range(3):
        cache.get(f"flood-{n}", lambda n=n: compute(f"flood-{n}"))
    cache.get("once", lambda: compute("once"))  # its second sight: kept now
    cache.get("once", lambda: compute("once"))  # a hit

    assert computed == ["once", "flood-0", "flood-1", "flood-2", "once"]
    assert len(cache) == 1
    assert not cache.seen("flood-0")
