"""The router's HTTP/1.1 client to subgraphs: keep-alive connections on asyncio, parsed by httptools.

Why not a general client: the router only ever POSTs a small JSON body and reads the whole
answer, so everything else a general client does per request (cookies, redirects, URL objects,
header multidicts, payload registries) is cost without use. Measured on the gateways benchmark,
a subgraph round trip costs ~0.04-0.06 ms of router CPU here against ~0.15 ms with aiohttp and
~0.7 ms with httpx. The response is parsed by httptools (llhttp, the parser Node.js uses, and
uvicorn's): content length, chunked encoding and keep-alive are its business, not ours.

Connections are pooled per origin (scheme, host, port), at most ``max_per_origin`` open at once;
a request waits for a free one. A kept-alive connection the subgraph closed meanwhile is detected
when the request gets no answer byte, and the request is sent once more on a new connection.
"""

from __future__ import annotations

import asyncio
import functools
import re
import ssl
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit

import httptools

if TYPE_CHECKING:
    from collections.abc import Mapping

Origin = tuple[str, str, int]
DEFAULT_PORTS = {"http": 80, "https": 443}
# A forwarded client header with a line break would smuggle a header or a request.
UNSENDABLE_NAME = re.compile(r"[\r\n\0:]")
UNSENDABLE_VALUE = re.compile(r"[\r\n\0]")
# Headers the client writes itself, from the request.
OWN_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})


class SubgraphConnectError(ConnectionError):
    """The subgraph could not be reached: nothing was sent."""


class SubgraphProtocolError(ConnectionError):
    """The connection broke or the subgraph's answer was not HTTP."""


class _Connection(asyncio.Protocol):
    """One keep-alive connection; one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._answer: asyncio.Future[tuple[int, bytes]] | None = None
        self._chunks: list[bytes] = []
        self._received = False  # any byte of the current answer
        self.reusable = True

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast("asyncio.Transport", transport)  # a stream transport, as create_connection makes

    def data_received(self, data: bytes) -> None:
        self._received = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(SubgraphProtocolError(f"the answer is not valid HTTP ({exc})"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.reusable = False
        self._fail(SubgraphProtocolError(f"the connection closed before the answer ended ({exc or 'EOF'})"))

    # httptools callbacks
    def on_body(self, body: bytes) -> None:
        self._chunks.append(body)

    def on_message_complete(self) -> None:
        if not self._parser.should_keep_alive():
            self.reusable = False
        answer, self._answer = self._answer, None
        if answer is not None and not answer.done():
            answer.set_result((self._parser.get_status_code(), b"".join(self._chunks)))
        self._chunks = []

    # ours
    @property
    def answered_nothing(self) -> bool:
        return not self._received

    def send(self, request: bytes) -> asyncio.Future[tuple[int, bytes]]:
        assert self.transport is not None  # noqa: S101 - set by connection_made before the pool hands it out
        self._answer = asyncio.get_running_loop().create_future()
        self._received = False
        self.transport.write(request)
        return self._answer

    def close(self) -> None:
        self.reusable = False
        if self.transport is not None:
            self.transport.close()

    def _fail(self, error: Exception) -> None:
        self.reusable = False
        answer, self._answer = self._answer, None
        if answer is not None and not answer.done():
            answer.set_exception(error)


@dataclass
class _Pool:
    """The connections to one origin: idle ones, and a bound on how many may be open."""

    slots: asyncio.Semaphore
    idle: deque[_Connection] = field(default_factory=deque)


class SubgraphClient:
    """POSTs JSON to subgraphs over pooled keep-alive HTTP/1.1 connections."""

    def __init__(self, max_per_origin: int = 20, *, signing_secret: str | None = None) -> None:
        self.max_per_origin = max_per_origin
        # The router signs every request it sends with it (kcp.edge.signature), in router/transport.py.
        self.signing_secret = signing_secret
        self._pools: dict[Origin, _Pool] = {}
        self._tls: ssl.SSLContext | None = None
        self.closed = False

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], *, timeout_seconds: float
    ) -> tuple[int, bytes]:
        """The status and body of the answer to ``POST url``.

        Raises SubgraphConnectError, SubgraphProtocolError, TimeoutError, or ValueError for a URL
        or header the client cannot send.
        """
        origin, target = _split(url)
        request = _request_bytes(origin, target, body, headers)
        pool = self._pools.get(origin)
        if pool is None:
            pool = self._pools[origin] = _Pool(asyncio.Semaphore(self.max_per_origin))
        async with asyncio.timeout(timeout_seconds), pool.slots:
            return await self._exchange(origin, pool, request)

    async def _exchange(self, origin: Origin, pool: _Pool, request: bytes) -> tuple[int, bytes]:
        while pool.idle:
            connection = pool.idle.pop()
            if not connection.reusable:
                continue
            try:
                return await self._send(pool, connection, request)
            except SubgraphProtocolError:
                if not connection.answered_nothing:
                    raise
                # Closed by the subgraph while idle: nothing was answered, so try the next one.
        return await self._send(pool, await self._connect(origin), request)

    async def _send(self, pool: _Pool, connection: _Connection, request: bytes) -> tuple[int, bytes]:
        try:
            answer = await connection.send(request)
        except BaseException:
            connection.close()  # a timed-out or cancelled exchange leaves the connection mid-answer
            raise
        if connection.reusable:
            pool.idle.append(connection)
        else:
            connection.close()
        return answer

    async def _connect(self, origin: Origin) -> _Connection:
        scheme, host, port = origin
        tls = None
        if scheme == "https":
            tls = self._tls = self._tls or ssl.create_default_context()
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(_Connection, host, port, ssl=tls)
        except OSError as exc:
            raise SubgraphConnectError(f"cannot connect to {host}:{port} ({exc.strerror or exc})") from exc
        return connection

    async def close(self) -> None:
        self.closed = True
        for pool in self._pools.values():
            while pool.idle:
                pool.idle.pop().close()
        self._pools.clear()


# A router calls the few URLs of its supergraph, over and over: each is split once.
@functools.lru_cache(maxsize=256)
def _split(url: str) -> tuple[Origin, str]:
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return (parts.scheme, parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme]), target


def _request_bytes(origin: Origin, target: str, body: bytes, headers: Mapping[str, str]) -> bytes:
    scheme, host, port = origin
    authority = host if port == DEFAULT_PORTS[scheme] else f"{host}:{port}"
    lines = [f"POST {target} HTTP/1.1", f"host: {authority}", f"content-length: {len(body)}"]
    for name, value in headers.items():
        if UNSENDABLE_NAME.search(name) or UNSENDABLE_VALUE.search(value):
            raise ValueError(f"header {name!r} cannot be sent")
        if name.lower() not in OWN_HEADERS:
            lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
