"""Error reports through the real ``sentry-sdk`` to a local endpoint that receives its envelopes.

A support subgraph runs with ``SENTRY_DSN`` pointing at this test's HTTP server. A ticket whose
stored status is not one the code knows makes its resolver fail: an unexpected error, masked for
the client as INTERNAL_SERVER_ERROR. The report must arrive exactly once, tagged with the service
and the request's trace id, and carry neither the Authorization header nor the bearer token.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from single_service import as_staff, eventually, start_service

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.e2e

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
BEARER = "Bearer secret-token-that-must-not-leave"
CREATE = """mutation { createTicket(input: {subject: "Case will not charge", description: "The left bud is dead",
  productId: "prd-1", customerId: "usr-1", channel: WEB}) { id } }"""


class Envelopes:
    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.lock = threading.Lock()

    def events(self) -> list[dict[str, Any]]:
        """The error events among the envelopes' items (transactions left out)."""
        found = []
        with self.lock:
            bodies = list(self.received)
        for body in bodies:
            lines = body.split(b"\n")
            for header, payload in zip(lines[1::2], lines[2::2], strict=False):
                if json.loads(header).get("type") == "event":
                    found.append(json.loads(payload))
        return found


@pytest.fixture
def sentry() -> Iterator[tuple[str, Envelopes]]:
    envelopes = Envelopes()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            encoding = self.headers.get("content-encoding", "")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "deflate":
                body = zlib.decompress(body)
            with envelopes.lock:
                envelopes.received.append(body)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://public@127.0.0.1:{server.server_address[1]}/1", envelopes
    finally:
        server.shutdown()


def test_a_forced_error_arrives_once_with_the_trace_id_and_without_the_authorization_header(
    sentry: tuple[str, Envelopes], tmp_path: Path
) -> None:
    dsn, envelopes = sentry
    environment = {
        "KCP_DATA_DIR": str(tmp_path),
        "SENTRY_DSN": dsn,
        "SENTRY_TRACES_SAMPLE_RATE": "0",
        # The error is forced through the embedded SQLite file, so support runs on its embedded
        # stores even in the real-server pass (an empty URL is the embedded store).
        "DATABASE_URL": "",
        "MONGODB_URI": "",
    }
    support = start_service("support", environment, tmp_path / "support.log")
    try:
        ticket_id = support.graphql(CREATE)["data"]["createTicket"]["id"]  # type: ignore[index]
        with sqlite3.connect(tmp_path / "support" / "support.sqlite3") as database:
            database.execute("UPDATE tickets SET status = 'lost-in-a-migration' WHERE id = ?", (ticket_id,))
        headers = {
            **as_staff(),
            "authorization": BEARER,
            "traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01",
        }
        query = {"query": f'{{ ticket(id: "{ticket_id}") {{ id status }} }}'}
        answer = httpx.post(support.url + "/graphql", json=query, headers=headers, timeout=30).json()
        assert answer["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR", answer
        assert eventually(lambda: bool(envelopes.events()), attempts=100), support.log()
    finally:
        support.stop()  # the SDK flushes at exit: a duplicate would have arrived by now

    events = envelopes.events()
    assert len(events) == 1, [e.get("exception") for e in events]
    event = events[0]
    assert event["tags"]["trace_id"] == TRACE_ID
    assert event["tags"]["service"] == "support"
    assert event["release"].startswith("soundcore-kcp@")
    headers_sent = {name.lower() for name in event.get("request", {}).get("headers", {})}
    assert "authorization" not in headers_sent
    raw = b"".join(envelopes.received)
    assert b"secret-token-that-must-not-leave" not in raw
    assert b"lost-in-a-migration" in raw or event["exception"]["values"], "the report says what failed"
