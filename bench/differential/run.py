"""Send each generated operation to our router and to Apollo Gateway, as one caller, and compare.

Operation ``i`` goes out as role ``roles[i % len(roles)]``: anonymous, or signed in as that demo
user (the bearer token our router's login returned, sent to both gateways). The operations are
drawn before any answer is read, so a seed names the same operations on every run.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from bench.differential.compare import (
    Verdict,
    compare,
    emptied_selections,
    excluded_selections,
    self_observed_selections,
)
from bench.differential.operations import Operation, OperationGenerator, Pools

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from graphql import GraphQLSchema

    from demo.model import DemoData

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, "admin", "editor", "agent", "analyst", "partner", "customer")
# Our rate limit and our subgraph timeout are deliberate divergences (Apollo Gateway has neither by
# default), not what is compared: raised out of the way. On a busy machine a heavy operation's
# subgraph call can take longer than the 10 s default, and only our router would give up.
DIVERGENCES_OFF = {"RATE_LIMIT_PER_MINUTE": "1000000", "KCP_SUBGRAPH_TIMEOUT_SECONDS": "300"}
# Access tokens live 15 minutes: a session logs in again well before.
TOKEN_SECONDS = 600.0
REQUEST_SECONDS = 60.0
# Operations compared between two chances to renew the sessions.
BATCH = 200
# A difference is asked again alone up to this many times, this far apart (see ``_confirm``).
CONFIRM_ROUNDS = 3
CONFIRM_PAUSE_SECONDS = 1.0


@dataclass
class RoleCounts:
    operations: int = 0
    same: int = 0
    explained: Counter[str] = field(default_factory=Counter)
    different: int = 0


@dataclass(frozen=True, slots=True)
class Difference:
    """An unexplained difference: who asked what, and how the answers differ."""

    index: int  # the operation's place in the seed's sequence
    role: str
    operation: Operation
    detail: str


@dataclass
class Report:
    by_role: dict[str, RoleCounts]
    differences: list[Difference]

    @property
    def operations(self) -> int:
        return sum(counts.operations for counts in self.by_role.values())


class _Sessions:
    """A bearer token per role, from our router's ``login``, renewed before it expires.

    Logging in changes what some operations read (``lastLoginAt``, the audit log), so sessions are
    renewed only between batches of operations, never while one is being compared.
    """

    def __init__(self, client: httpx.AsyncClient, router_url: str, password: str) -> None:
        self._client = client
        self._url = router_url
        self._password = password
        self._tokens: dict[str, tuple[float, str]] = {}

    async def renew(self, roles: tuple[str, ...]) -> None:
        """Log in as every role whose token is missing or getting old."""
        for role in roles:
            if role != ANONYMOUS and time.monotonic() - self._tokens.get(role, (float("-inf"), ""))[0] > TOKEN_SECONDS:
                self._tokens[role] = (time.monotonic(), await self._login(role))

    def headers(self, role: str) -> dict[str, str]:
        if role == ANONYMOUS:
            return {}
        return {"authorization": f"Bearer {self._tokens[role][1]}"}

    async def _login(self, role: str) -> str:
        response = await self._client.post(
            self._url,
            json={
                "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
                "variables": {"e": f"{role}@soundcore.example", "p": self._password},
            },
        )
        body = response.json()
        try:
            token: str = body["data"]["login"]["accessToken"]
        except (KeyError, TypeError) as error:
            msg = f"login as {role} failed: {body}"
            raise RuntimeError(msg) from error
        return token


def operations(schema: GraphQLSchema, data: DemoData, *, seed: int, count: int) -> list[Operation]:
    """The ``count`` operations of ``seed``."""
    generator = OperationGenerator(schema, Pools.of(data), random.Random(seed))  # noqa: S311 - reproducible draws, not secrets
    return [generator.operation() for _ in range(count)]


async def run(  # noqa: PLR0913 - both gateways, what to send, and how
    router_url: str,
    apollo_url: str,
    ops: list[Operation],
    *,
    password: str,
    roles: tuple[str, ...] = ROLES,
    concurrency: int = 4,
    progress: Callable[[int], None] | None = None,
    found: Callable[[Difference], None] | None = None,
    only: frozenset[int] | None = None,
) -> Report:
    """Every operation to both gateways, as its role; the counts and the unexplained differences
    (each also passed to ``found`` as soon as it is seen). ``only``: send just the operations at
    these indices (each still as the role its index gives, to reproduce a reported difference)."""
    report = Report({role: RoleCounts() for role in roles}, [])
    limit = asyncio.Semaphore(concurrency)
    alone = _Exclusive()
    done = 0
    async with httpx.AsyncClient(timeout=REQUEST_SECONDS) as client:
        sessions = _Sessions(client, router_url, password)

        async def one(index: int, operation: Operation) -> None:
            nonlocal done
            role = roles[index % len(roles)]
            async with limit, alone.shared():
                headers = sessions.headers(role)
                payload = {"query": operation.query, "variables": operation.variables}
                ours, theirs = await asyncio.gather(
                    _post(client, router_url, payload, headers), _post(client, apollo_url, payload, headers)
                )
            verdict = compare(ours, theirs, **_directives(operation))
            if verdict.outcome == "different":
                # Confirmed alone: nothing else in flight (see ``_confirm``).
                async with alone:
                    verdict = await _confirm(client, (router_url, apollo_url), operation, headers)
            counts = report.by_role[role]
            counts.operations += 1
            if verdict.outcome == "same":
                counts.same += 1
            elif verdict.outcome == "explained":
                counts.explained[verdict.rule] += 1
            else:
                counts.different += 1
                difference = Difference(index, role, operation, verdict.detail)
                report.differences.append(difference)
                if found is not None:
                    found(difference)
            done += 1
            if progress is not None:
                progress(done)

        for start in range(0, len(ops), BATCH):
            await sessions.renew(roles)
            chosen = [i for i in range(start, min(start + BATCH, len(ops))) if only is None or i in only]
            if chosen:
                await asyncio.gather(*(one(i, ops[i]) for i in chosen))
    report.differences.sort(key=lambda difference: difference.index)
    return report


async def _confirm(
    client: httpx.AsyncClient, urls: tuple[str, str], operation: Operation, headers: dict[str, str]
) -> Verdict:
    """The verdict of asking both gateways again, one after the other, with nothing else in flight.

    The run changes what it reads: a search records an analytics event, so a counter such as a
    product's ``analytics { totalEvents }`` read while another operation's search was landing can
    differ between the two answers. Events reach analytics off the request path (``kcp.events``
    sends them in batches from a background task), so some may still land after the other
    operations have finished: the pair is asked again, a pause apart, until the answers agree or
    ``CONFIRM_ROUNDS`` is spent. A difference made by a gateway stays in every round.
    """
    payload = {"query": operation.query, "variables": operation.variables}
    verdict = Verdict("different")
    for round_ in range(CONFIRM_ROUNDS):
        if round_:
            await asyncio.sleep(CONFIRM_PAUSE_SECONDS)  # the events already emitted reach analytics
        ours = await _post(client, urls[0], payload, headers)
        theirs = await _post(client, urls[1], payload, headers)
        verdict = compare(ours, theirs, **_directives(operation))
        if verdict.outcome != "different":
            return verdict
    return verdict


def _directives(operation: Operation) -> dict[str, tuple[tuple[str, ...], ...]]:
    """What the operation's shape decides for the comparison, as ``compare`` takes it."""
    return {
        "emptied": emptied_selections(operation.query, operation.variables),
        "excluded": excluded_selections(operation.query, operation.variables),
        "self_observed": self_observed_selections(operation.query, operation.variables),
    }


class _Exclusive:
    """Operations share the gateways (``shared``) except one being confirmed (``async with``)."""

    def __init__(self) -> None:
        self._idle = asyncio.Condition()
        self._shared = 0
        self._exclusive = False

    @contextlib.asynccontextmanager
    async def shared(self) -> AsyncIterator[None]:
        async with self._idle:
            await self._idle.wait_for(lambda: not self._exclusive)
            self._shared += 1
        try:
            yield
        finally:
            async with self._idle:
                self._shared -= 1
                self._idle.notify_all()

    async def __aenter__(self) -> None:
        async with self._idle:
            await self._idle.wait_for(lambda: not self._exclusive and self._shared == 0)
            self._exclusive = True

    async def __aexit__(self, *_: object) -> None:
        async with self._idle:
            self._exclusive = False
            self._idle.notify_all()


async def _post(
    client: httpx.AsyncClient, url: str, payload: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.post(url, json=payload, headers=headers)
    try:
        body = response.json()
    except ValueError:
        return {"errors": [{"message": f"HTTP {response.status_code}, not JSON", "extensions": {"code": "NOT_JSON"}}]}
    return body if isinstance(body, dict) else {"errors": [{"message": "not a GraphQL response"}]}
