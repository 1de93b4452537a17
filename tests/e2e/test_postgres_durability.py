"""Support on PostgreSQL, killed with SIGKILL in the middle of a burst of mutations, loses no
ticket it acknowledged: every id a client was given is there after a restart."""

from __future__ import annotations

import signal
import threading
from typing import TYPE_CHECKING

import httpx
import pytest
from single_service import as_staff, eventually, start_service

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

WORKERS = 8
MAX_REQUESTS_PER_WORKER = 150  # bounds the burst whatever happens
KILL_AFTER_ACKNOWLEDGED = 80

CREATE = """mutation($subject: String!) {
  createTicket(
    input: {subject: $subject, description: "burst", productId: "prd-1", customerId: "usr-1", channel: WEB}
  ) { id subject }
}"""


def read_back(service_url: str, ids: list[str]) -> dict[str, str]:
    """Subject by id for every id the service finds, 20 aliased lookups a request
    (a subgraph refuses more root fields than twice the router's limit, kcp.edge.gate)."""
    found: dict[str, str] = {}
    for start in range(0, len(ids), 20):
        chunk = ids[start : start + 20]
        lookups = (f'a{n}: ticket(id: "{ticket_id}") {{ id subject }}' for n, ticket_id in enumerate(chunk))
        query = "{ " + " ".join(lookups) + " }"
        response = httpx.post(service_url + "/graphql", json={"query": query}, headers=as_staff(), timeout=30)
        response.raise_for_status()
        for ticket in response.json()["data"].values():
            if ticket is not None:
                found[ticket["id"]] = ticket["subject"]
    return found


def test_no_acknowledged_write_is_lost_when_the_service_is_killed(postgres_url: str, tmp_path: Path) -> None:
    environment = {"DATABASE_URL": postgres_url, "KCP_DATA_DIR": str(tmp_path)}
    support = start_service("support", environment, tmp_path / "support-before.log")
    acknowledged: dict[str, str] = {}  # id -> subject, for every 200 with the ticket in it
    refused_after_kill = 0
    lock = threading.Lock()
    enough = threading.Event()

    def client(worker: int) -> None:
        nonlocal refused_after_kill
        with httpx.Client(base_url=support.url, timeout=10) as http:
            for request in range(MAX_REQUESTS_PER_WORKER):
                subject = f"burst {worker}-{request}"
                try:
                    body = {"query": CREATE, "variables": {"subject": subject}}
                    response = http.post("/graphql", json=body, headers=as_staff())
                except httpx.HTTPError:
                    with lock:
                        refused_after_kill += 1
                    return
                data = response.json().get("data") if response.status_code == 200 else None
                ticket = (data or {}).get("createTicket")
                if ticket:
                    with lock:
                        acknowledged[ticket["id"]] = ticket["subject"]
                        if len(acknowledged) >= KILL_AFTER_ACKNOWLEDGED:
                            enough.set()

    try:
        assert eventually(lambda: support.status("/ready") == 200), support.log()
        threads = [threading.Thread(target=client, args=(worker,)) for worker in range(WORKERS)]
        for thread in threads:
            thread.start()
        assert enough.wait(120), f"only {len(acknowledged)} tickets acknowledged:\n{support.log()}"
        support.process.send_signal(signal.SIGKILL)
        support.process.wait(10)
        for thread in threads:
            thread.join(60)
    finally:
        support.stop()
    assert support.process.returncode == -signal.SIGKILL
    assert refused_after_kill > 0  # the burst was still going when the process died

    restarted = start_service("support", environment, tmp_path / "support-after.log")
    try:
        assert eventually(lambda: restarted.status("/ready") == 200), restarted.log()
        with lock:
            expected = dict(acknowledged)
        assert len(expected) >= KILL_AFTER_ACKNOWLEDGED
        assert read_back(restarted.url, sorted(expected)) == expected
    finally:
        restarted.stop()
