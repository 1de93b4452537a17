"""Which store an error says cannot be reached, if any: ``relational``, ``documents``, ``graph``
or ``keyvalue`` (the names ``/ready`` uses).

A resolver whose database is down should answer ``STORE_UNAVAILABLE`` naming the store, not a
masked internal error: it is not a bug, ``/ready`` says the same, and it passes when the store is
back. Each driver has its own "cannot reach the server" errors; the error's whole chain is looked
at, since SQLAlchemy and our stores wrap the driver's error. Drivers a process does not use are
not imported.
"""

from __future__ import annotations

import sys

from kcp.stores.relational import is_unreachable

RELATIONAL = "relational"
DOCUMENTS = "documents"
GRAPH = "graph"
KEYVALUE = "keyvalue"


def _driver_errors() -> list[tuple[str, tuple[type[BaseException], ...]]]:
    """Each loaded driver's errors for a server that is gone, by store name."""
    found: list[tuple[str, tuple[type[BaseException], ...]]] = []
    if "pymongo" in sys.modules:
        from pymongo.errors import ConnectionFailure  # noqa: PLC0415 - only when the process uses it

        # AutoReconnect, NetworkTimeout and ServerSelectionTimeoutError are ConnectionFailures.
        found.append((DOCUMENTS, (ConnectionFailure,)))
    if "neo4j" in sys.modules:
        from neo4j.exceptions import ServiceUnavailable, SessionExpired  # noqa: PLC0415

        found.append((GRAPH, (ServiceUnavailable, SessionExpired)))
    if "redis" in sys.modules:
        from redis.exceptions import ConnectionError as RedisConnectionError  # noqa: PLC0415
        from redis.exceptions import TimeoutError as RedisTimeoutError  # noqa: PLC0415

        found.append((KEYVALUE, (RedisConnectionError, RedisTimeoutError)))
    return found


def unreachable_store(error: BaseException) -> str | None:
    """The store ``error`` says is unreachable, or None when it is some other failure."""
    drivers = _driver_errors()
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for store, kinds in drivers:
            if isinstance(current, kinds):
                return store
        current = current.__cause__ or current.__context__
    # PostgreSQL's (and a bare socket's) errors, as the relational store has always judged them.
    return RELATIONAL if is_unreachable(error) else None
