"""A PostgreSQL that is down makes /ready fail naming the store while /health stays up, and the
service recovers by itself when the database is back: at start and while running.

The service reaches PostgreSQL through a relay the test opens and closes, so the database can
go away (connections dropped, new ones refused) without the test owning the server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest
from single_service import TcpRelay, eventually, start_service
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

TICKETS = "{ tickets(first: 5) { totalCount } }"


def ready_body(url: str) -> tuple[int, dict[str, object]]:
    response = httpx.get(url + "/ready", timeout=10)
    return response.status_code, response.json()


def test_ready_names_a_database_that_is_down_and_recovers_without_a_restart(postgres_url: str, tmp_path: Path) -> None:
    database = make_url(postgres_url)
    relay = TcpRelay((database.host or "127.0.0.1", database.port or 5432))
    through_relay = database.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    environment = {"DATABASE_URL": through_relay, "KCP_DATA_DIR": str(tmp_path)}

    # Down at start: the service comes up anyway, alive but not ready, and says which store.
    support = start_service("support", environment, tmp_path / "support.log")
    try:
        assert support.status("/health") == 200
        status, body = ready_body(support.url)
        assert status == 503
        assert body["status"] == "unavailable"
        assert set(body["failures"]) == {"relational"}  # type: ignore[arg-type]
        [error] = support.graphql(TICKETS)["errors"]  # type: ignore[misc]
        assert error["extensions"] == {"code": "STORE_UNAVAILABLE", "store": "relational"}

        # Back: ready without a restart, and the migrations that could not run at start have run.
        relay.open()
        assert eventually(lambda: support.status("/ready") == 200), support.log()
        assert support.graphql(TICKETS) == {"data": {"tickets": {"totalCount": 0}}}

        # Down while running: open connections drop, new ones are refused.
        relay.close()
        assert eventually(lambda: support.status("/ready") == 503), support.log()
        assert support.status("/health") == 200
        status, body = ready_body(support.url)
        assert set(body["failures"]) == {"relational"}  # type: ignore[arg-type]

        # Back again: the pool replaces its dead connections, no restart needed.
        relay.open()
        assert eventually(lambda: support.status("/ready") == 200), support.log()
        assert support.graphql(TICKETS) == {"data": {"tickets": {"totalCount": 0}}}
        assert support.process.poll() is None
    finally:
        support.stop()
        relay.close()
