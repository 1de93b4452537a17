"""The router's HTTP/1.1 client to subgraphs, against small raw HTTP servers of each behaviour."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

import pytest

from router.subgraph_client import SubgraphClient, SubgraphConnectError, SubgraphProtocolError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

pytestmark = pytest.mark.asyncio


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """One request's body (the client always sends content-length)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")
    )
    return await reader.readexactly(length)


@contextlib.asynccontextmanager
async def serving(
    handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
) -> AsyncIterator[tuple[str, list[int]]]:
    """A loopback server; yields its URL and a list that counts its connections."""
    connections: list[int] = []

    async def count(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            await handler(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(count, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}/graphql", connections


async def echo_keep_alive(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while True:
        try:
            body = await read_request(reader)
        except asyncio.IncompleteReadError:
            return
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()


async def test_keeps_the_connection_alive_between_requests() -> None:
    client = SubgraphClient()
    async with serving(echo_keep_alive) as (url, connections):
        first = await client.post(url, b'{"n":1}', {}, timeout_seconds=5)
        second = await client.post(url, b'{"n":2}', {}, timeout_seconds=5)
    await client.close()

    assert (first, second) == ((200, b'{"n":1}'), (200, b'{"n":2}'))
    assert len(connections) == 1


async def test_resends_once_when_the_subgraph_closed_an_idle_connection() -> None:
    async def one_answer_per_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        body = await read_request(reader)
        # Says keep-alive, then closes anyway, as a server whose idle timeout expired would.
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()

    client = SubgraphClient()
    async with serving(one_answer_per_connection) as (url, connections):
        answers = [await client.post(url, b'{"n":%d}' % n, {}, timeout_seconds=5) for n in range(3)]
    await client.close()

    assert answers == [(200, b'{"n":0}'), (200, b'{"n":1}'), (200, b'{"n":2}')]
    assert len(connections) == 3


async def test_reads_a_chunked_answer_and_honours_connection_close() -> None:
    async def chunked_then_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(
            b"HTTP/1.1 502 Bad Gateway\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            b'5\r\n{"a":\r\n3\r\n42}\r\n0\r\n\r\n'
        )
        await writer.drain()
        await reader.read()  # the client, not this server, closes the connection

    client = SubgraphClient()
    async with serving(chunked_then_close) as (url, connections):
        first = await client.post(url, b"{}", {}, timeout_seconds=5)
        second = await client.post(url, b"{}", {}, timeout_seconds=5)
    await client.close()

    assert first == second == (502, b'{"a":42}')
    assert len(connections) == 2


async def test_an_answer_cut_short_is_a_protocol_error() -> None:
    async def cut_short(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b'HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"data"')
        await writer.drain()

    client = SubgraphClient()
    async with serving(cut_short) as (url, _):
        with pytest.raises(SubgraphProtocolError):
            await client.post(url, b"{}", {}, timeout_seconds=5)
    await client.close()


async def test_no_answer_in_time_is_a_timeout_and_the_connection_is_not_reused() -> None:
    release = asyncio.Event()

    async def late(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        body = await read_request(reader)
        await release.wait()
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        await echo_keep_alive(reader, writer)

    client = SubgraphClient()
    async with serving(late) as (url, connections):
        with pytest.raises(TimeoutError):
            await client.post(url, b'{"late":true}', {}, timeout_seconds=0.05)
        release.set()
        # The late answer must not be read as the next request's.
        assert await client.post(url, b'{"next":true}', {}, timeout_seconds=5) == (200, b'{"next":true}')
    await client.close()
    assert len(connections) == 2


async def test_an_unreachable_subgraph_is_a_connect_error() -> None:
    server = await asyncio.start_server(echo_keep_alive, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()

    client = SubgraphClient()
    with pytest.raises(SubgraphConnectError):
        await client.post(f"http://127.0.0.1:{port}/graphql", b"{}", {}, timeout_seconds=5)
    await client.close()


@pytest.mark.parametrize("header", [("authorization", "Bearer x\r\nx-admin: 1"), ("x-a\nb", "1"), ("x:y", "1")])
async def test_a_header_that_would_split_the_request_is_refused(header: tuple[str, str]) -> None:
    client = SubgraphClient()
    async with serving(echo_keep_alive) as (url, connections):
        with pytest.raises(ValueError, match="cannot be sent"):
            await client.post(url, b"{}", dict([header]), timeout_seconds=5)
    await client.close()
    assert connections == []
