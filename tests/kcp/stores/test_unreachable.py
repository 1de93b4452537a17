"""Which store an error says is unreachable: each driver's "server gone" errors, wrapped or not."""

from __future__ import annotations

import neo4j.exceptions
import pymongo.errors
import pytest
import redis.exceptions

from kcp.stores.unreachable import unreachable_store


def wrapped(error: BaseException) -> BaseException:
    """``error`` as the cause of another, as a repository raising its own error ``from`` it would."""
    outer = RuntimeError("a repository's own error")
    outer.__cause__ = error
    return outer


@pytest.mark.parametrize(
    ("error", "store"),
    [
        (pymongo.errors.ServerSelectionTimeoutError("no servers"), "documents"),
        (pymongo.errors.AutoReconnect("connection closed"), "documents"),
        (neo4j.exceptions.ServiceUnavailable("refused"), "graph"),
        (neo4j.exceptions.SessionExpired("gone"), "graph"),
        (redis.exceptions.ConnectionError("refused"), "keyvalue"),
        (ConnectionRefusedError(111, "refused"), "relational"),
    ],
)
def test_a_drivers_server_gone_error_names_its_store(error: BaseException, store: str) -> None:
    assert unreachable_store(error) == store
    assert unreachable_store(wrapped(error)) == store


@pytest.mark.parametrize(
    "error",
    [
        ValueError("bad input"),
        pymongo.errors.DuplicateKeyError("E11000"),
        neo4j.exceptions.CypherSyntaxError("syntax"),
        redis.exceptions.ResponseError("WRONGTYPE"),
    ],
)
def test_other_failures_are_not_an_unreachable_store(error: BaseException) -> None:
    assert unreachable_store(error) is None
    assert unreachable_store(wrapped(error)) is None
