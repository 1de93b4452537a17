"""Real store servers for the contract suites, and a summary of the tests that had none.

A real-server test asks for a fixture below; without the server's ``KCP_TEST_*`` variable it is
skipped with a reason that starts ``real server:``, and the end of the run lists those skips per
variable. The ``KCP_TEST_`` names (rather than ``DATABASE_URL`` …) keep the rest of the suite on
its embedded stores: every test isolates its own state, which one shared server would not.
``.ci/run`` sets them from ``scripts/services env --test``; by hand:

    scripts/services up postgres redis && eval "$(scripts/services env --test)" && make test
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import uuid
from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from collections.abc import Iterator

    from _pytest.terminal import TerminalReporter

REAL_SERVER_SKIP = "real server:"
HOW_TO_START = 'start it with `scripts/services up` and `eval "$(scripts/services env --test)"`'
PINECONE_HOW = (
    "set KCP_TEST_PINECONE_API_KEY to the key of a Pinecone project that may hold a test index "
    "(a hosted service: scripts/services cannot start it)"
)


def real_server_url(variable: str, how: str = HOW_TO_START) -> str:
    """The URL (or key) in ``variable``, or skip the test saying which server it needed and ``how`` to get it."""
    url = os.environ.get(variable)
    if not url:
        pytest.skip(f"{REAL_SERVER_SKIP} {variable} is not set; {how}")
    return url


def _run_on_maintenance_database(url: str, statement: str) -> None:
    # In a thread of its own: the fixture may be asked for from inside a running event loop.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, _execute(url, statement)).result()


async def _execute(url: str, statement: str) -> None:
    import asyncpg  # noqa: PLC0415 - only real-server tests load the driver

    parsed = make_url(url)
    connection = await asyncpg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        database="postgres",
        timeout=10,
    )
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test alone, dropped afterwards."""
    server = real_server_url("KCP_TEST_DATABASE_URL")
    name = f"kcp_test_{uuid.uuid4().hex[:16]}"
    _run_on_maintenance_database(server, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        _run_on_maintenance_database(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_url() -> str:
    """The test Redis; tests keep to a namespace of their own and delete it afterwards."""
    return real_server_url("KCP_TEST_REDIS_URL")


@pytest.fixture
def mongodb_uri() -> Iterator[str]:
    """A MongoDB URI naming a fresh database for this test alone, dropped afterwards."""
    server = real_server_url("KCP_TEST_MONGODB_URI")
    from pymongo import MongoClient  # noqa: PLC0415 - only real-server tests load the driver

    name = f"kcp_test_{uuid.uuid4().hex[:16]}"
    parts = urlsplit(server)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))
    finally:
        with MongoClient(server, serverSelectionTimeoutMS=5000) as client:
            client.drop_database(name)


@pytest.fixture
def pinecone_api_key() -> str:
    """A Pinecone API key: Pinecone is a hosted service, which scripts/services cannot start (and which
    the machine this suite was written on cannot reach). Tests keep to a namespace of their own in the
    index ``KCP_TEST_PINECONE_INDEX`` (default ``kcp-test``) and delete it afterwards."""
    return real_server_url("KCP_TEST_PINECONE_API_KEY", how=PINECONE_HOW)


@pytest.fixture
def neo4j_server() -> dict[str, str]:
    """The test Neo4j's URI, user and password. Neo4j Community has one user database, so a test
    that uses it empties it first: point ``KCP_TEST_NEO4J_URI`` at a test server only."""
    return {
        "uri": real_server_url("KCP_TEST_NEO4J_URI"),
        "user": os.environ.get("KCP_TEST_NEO4J_USER", "neo4j"),
        "password": os.environ.get("KCP_TEST_NEO4J_PASSWORD", ""),
    }


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    reasons: Counter[str] = Counter()
    hows: dict[str, None] = {}  # each way to get a server once, in the order first met
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        if isinstance(longrepr, tuple) and REAL_SERVER_SKIP in str(longrepr[2]):
            reason = str(longrepr[2]).split(REAL_SERVER_SKIP, 1)[1].strip()
            variable, _, how = reason.partition(";")
            reasons[variable] += 1
            hows[how.strip() or HOW_TO_START] = None
    if not reasons:
        return
    terminalreporter.section("real-server tests skipped")
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"{count} skipped: {reason}")
    for how in hows:
        terminalreporter.write_line(f"To run them, {how}.")


@pytest.fixture(autouse=True)
def _every_service_on_postgres(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """With ``KCP_TEST_ALL_ON_POSTGRES=1``, every test's services use a fresh PostgreSQL database.

    Runs the whole GraphQL suite on the real relational store (``DATABASE_URL`` set per test, so
    tests keep their own state). Session- and module-scoped fixtures made before it, such as the
    seeded end-to-end platform, stay on SQLite.
    """
    if os.environ.get("KCP_TEST_ALL_ON_POSTGRES") != "1":
        yield
        return
    from kcp.settings import get_settings  # noqa: PLC0415

    monkeypatch.setenv("DATABASE_URL", request.getfixturevalue("postgres_url"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
