"""The steady mixed load the fault campaign keeps up through the router, and what it saw.

Several roles at once: anonymous visitors (product pages that reach every subgraph, searches,
analytics events), an agent reading the queue, a customer opening tickets (PostgreSQL), an editor
writing content items (the document store) and linking products in the knowledge graph (Neo4j).
Every write the router acknowledged (a 200 with the record in ``data``) is remembered with the
time it was acknowledged, so the campaign can read each one back at the end.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

import demo

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

DATA = demo.generate()
SLUGS = [product.slug for product in DATA.products]
PRODUCT_IDS = [product.id for product in DATA.products]
OK = 200

LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }"
PRODUCT_PAGE = """query($slug: String!) { productBySlug(slug: $slug) {
    name features { name } content { title } openTicketCount analytics { pageViews }
} }"""
SEARCH = "query($q: String!) { search(query: $q, first: 3) { totalCount } }"
QUEUE = "{ tickets(status: [OPEN], first: 5) { totalCount edges { node { id customer { name } } } } }"
TRACK = "mutation($input: TrackEventInput!) { trackEvent(input: $input) { id } }"
CREATE_TICKET = "mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }"
CREATE_CONTENT = "mutation($input: CreateContentItemInput!) { createContentItem(input: $input) { id } }"
LINK = "mutation($input: LinkInput!) { linkRecords(input: $input) { changed } }"
UNLINK = "mutation($input: LinkInput!) { unlinkRecords(input: $input) { changed } }"
READ_TICKET = "query($id: ID!) { ticket(id: $id) { id } }"
READ_CONTENT = "query($id: ID!) { contentItem(id: $id) { id } }"


@dataclass(frozen=True)
class Outcome:
    """One request's answer, reduced to what a client could tell."""

    at: float
    kind: str
    status: int  # 0: no HTTP answer
    seconds: float
    has_data: bool
    errors: tuple[dict[str, Any], ...]

    @property
    def clean(self) -> bool:
        return self.status == OK and self.has_data and not self.errors

    def label(self) -> str:
        if self.status == 0:
            return "no answer"
        if self.status != OK:
            return f"HTTP {self.status}"
        if not self.errors:
            return "ok"
        return "partial" if self.has_data else "error"

    def error_marks(self) -> list[str]:
        """``CODE (who)`` per error: the code and the subgraph or store it names."""
        marks = []
        for error in self.errors:
            extensions = error.get("extensions") or {}
            who = "/".join(str(extensions[k]) for k in ("serviceName", "store") if extensions.get(k))
            marks.append(f"{extensions.get('code', '?')} ({who or '-'})")
        return marks

    def names(self, words: set[str]) -> bool:
        """Whether an error of this answer names one of ``words`` (subgraph, store or server)."""
        for error in self.errors:
            extensions = error.get("extensions") or {}
            said = f"{error.get('message', '')} {extensions.get('serviceName', '')} {extensions.get('store', '')}"
            if any(word in said.lower() for word in words):
                return True
        return False


@dataclass(frozen=True)
class Write:
    store: str  # where it lives: relational, documents, graph
    key: tuple[str, ...]  # what reads it back: a ticket id, a content item id, (relation, source, target)
    at: float
    created: bool = True  # a link: False when it already existed


@dataclass
class Record:
    outcomes: list[Outcome] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)

    def between(self, start: float, end: float) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if start <= outcome.at < end]


def summarise(outcomes: list[Outcome]) -> str:
    """What clients saw, in one line: counts by label, then the most frequent error marks."""
    if not outcomes:
        return "no requests"
    labels = Counter(outcome.label() for outcome in outcomes)
    marks = Counter(mark for outcome in outcomes for mark in outcome.error_marks())
    head = ", ".join(f"{count} {label}" for label, count in labels.most_common())
    slowest = max(outcome.seconds for outcome in outcomes)
    tail = "; ".join(f"{mark} x{count}" for mark, count in marks.most_common(2))
    return f"{head} (slowest {slowest:.1f} s){'; ' + tail if tail else ''}"


class Traffic:
    """Clients of every role; each method sends one request and returns what it saw."""

    def __init__(self, client: httpx.AsyncClient, url: str, record: Record) -> None:
        self.client = client
        self.url = url
        self.record = record
        self.tokens: dict[str, str] = {}
        self.pairs = [(a, b) for a in PRODUCT_IDS for b in PRODUCT_IDS if a < b]
        random.shuffle(self.pairs)

    async def login(self) -> None:
        for role in ("agent", "customer", "editor"):
            body = {"query": LOGIN, "variables": {"e": f"{role}@soundcore.example", "p": DATA.demo_password}}
            answer = (await self.client.post(self.url, json=body)).json()
            self.tokens[role] = answer["data"]["login"]["accessToken"]

    async def send(
        self, kind: str, query: str, variables: dict[str, Any], role: str | None = None
    ) -> tuple[Outcome, dict[str, Any]]:
        headers = {} if role is None else {"authorization": f"Bearer {self.tokens[role]}"}
        sent = time.monotonic()
        try:
            response = await self.client.post(self.url, json={"query": query, "variables": variables}, headers=headers)
        except httpx.HTTPError:
            return Outcome(time.monotonic(), kind, 0, time.monotonic() - sent, has_data=False, errors=()), {}
        try:
            body = response.json()
        except ValueError:
            body = {}
        data = body.get("data") if isinstance(body, dict) else None
        errors = tuple(body.get("errors") or ()) if isinstance(body, dict) else ()
        has_data = isinstance(data, dict) and any(value is not None for value in data.values())
        answered = time.monotonic()
        return Outcome(answered, kind, response.status_code, answered - sent, has_data, errors), data or {}

    async def product_page(self) -> Outcome:
        return (await self.send("product page", PRODUCT_PAGE, {"slug": random.choice(SLUGS)}))[0]  # noqa: S311 - load mix

    async def search(self) -> Outcome:
        return (await self.send("search", SEARCH, {"q": random.choice(["battery", "pairing", "firmware"])}))[0]  # noqa: S311

    async def queue(self) -> Outcome:
        return (await self.send("ticket queue", QUEUE, {}, "agent"))[0]

    async def event(self) -> Outcome:
        product = random.choice(PRODUCT_IDS)  # noqa: S311
        variables = {"input": {"kind": "PAGE_VIEW", "productId": product, "clientEventId": uuid.uuid4().hex}}
        return (await self.send("analytics event", TRACK, variables))[0]

    async def open_ticket(self) -> Outcome:
        ticket = {
            "subject": f"Fault {uuid.uuid4().hex[:8]}",
            "description": "The case does not charge.",
            "productId": random.choice(PRODUCT_IDS),  # noqa: S311
            "channel": "WEB",
        }
        outcome, data = await self.send("open ticket", CREATE_TICKET, {"input": ticket}, "customer")
        if outcome.status == OK and (created := data.get("createTicket")):
            self.record.writes.append(Write("relational", (created["id"],), outcome.at))
        return outcome

    async def write_content(self) -> Outcome:
        item = {
            "productId": random.choice(PRODUCT_IDS),  # noqa: S311
            "kind": "SOCIAL_POST",
            "title": f"Fault {uuid.uuid4().hex[:8]}",
            "locale": "en",
            "body": "Out now.",
        }
        outcome, data = await self.send("content item", CREATE_CONTENT, {"input": item}, "editor")
        if outcome.status == OK and (created := data.get("createContentItem")):
            self.record.writes.append(Write("documents", (created["id"],), outcome.at))
        return outcome

    async def link(self) -> Outcome:
        source, target = self.pairs.pop() if self.pairs else random.sample(PRODUCT_IDS, 2)
        link = {"relation": "COMPATIBLE_WITH", "sourceId": source, "targetId": target}
        outcome, data = await self.send("graph link", LINK, {"input": link}, "editor")
        if outcome.status == OK and (linked := data.get("linkRecords")):
            self.record.writes.append(
                Write("graph", ("COMPATIBLE_WITH", source, target), outcome.at, linked["changed"])
            )
        return outcome

    def mix(self) -> list[tuple[Callable[[], Awaitable[Outcome]], int]]:
        return [
            (self.product_page, 30),
            (self.search, 15),
            (self.queue, 10),
            (self.event, 10),
            (self.open_ticket, 15),
            (self.write_content, 10),
            (self.link, 10),
        ]

    def canaries(self) -> list[Callable[[], Awaitable[Outcome]]]:
        """One request of every kind: a round of them all clean is what recovered means."""
        return [kind for kind, _ in self.mix()]


async def keep_busy(traffic: Traffic, concurrency: int, stop: asyncio.Event) -> None:
    kinds, weights = zip(*traffic.mix(), strict=True)

    async def worker() -> None:
        while not stop.is_set():
            outcome = await random.choices(kinds, weights)[0]()  # noqa: S311
            traffic.record.outcomes.append(outcome)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def lost_writes(traffic: Traffic, writes: list[Write]) -> list[Write]:
    """The acknowledged writes that cannot be read back: a ticket or content item not found, a link
    that linking again says did not exist."""
    lost = []
    for write in writes:
        if write.store == "relational":
            _, data = await traffic.send("read back", READ_TICKET, {"id": write.key[0]}, "agent")
            found = bool(data.get("ticket"))
        elif write.store == "documents":
            _, data = await traffic.send("read back", READ_CONTENT, {"id": write.key[0]}, "editor")
            found = bool(data.get("contentItem"))
        else:
            relation, source, target = write.key
            link = {"relation": relation, "sourceId": source, "targetId": target}
            _, data = await traffic.send("read back", LINK, {"input": link}, "editor")
            found = (data.get("linkRecords") or {}).get("changed") is False
        if not found:
            lost.append(write)
    return lost


async def remove_links(traffic: Traffic, writes: list[Write]) -> None:
    """Unlink what the campaign linked, so a shared Neo4j is left as it was found."""
    for write in writes:
        if write.store == "graph" and write.created:
            relation, source, target = write.key
            link = {"relation": relation, "sourceId": source, "targetId": target}
            await traffic.send("clean up", UNLINK, {"input": link}, "editor")
