"""Stand-ins of the OpenAI and Anthropic HTTP APIs: a real local server speaking their wire format.

The SDKs talk to it over HTTP exactly as to the vendors (``OPENAI_BASE_URL`` / ``ANTHROPIC_BASE_URL``
point at it), so their request building, headers, retries and error mapping all run; the server
records what it received and answers in the documented response shapes. A request with
``stream: true`` is answered with server-sent events in each vendor's documented format (OpenAI:
``data:`` lines of ``chat.completion.chunk`` ending with ``data: [DONE]``; Anthropic: the
``message_start`` ... ``message_stop`` events), the reply sent a word per event, and the stand-in
can stall part-way (``stall_after``) as a slow model does.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator

    from starlette.requests import Request


@dataclass
class StandIn:
    url: str
    received: list[tuple[str, dict[str, str], dict[str, Any]]] = field(default_factory=list)
    reply: str = "Space One, quieter."
    status: int = 200  # anything else: an error body of that status
    stall_after: int | None = None  # streamed: after this many words, send nothing more until the client leaves

    def words(self) -> list[str]:
        return re.findall(r"\s*\S+", self.reply)


STALL_SECONDS = 60.0  # longer than any test waits: the client's deadline ends it, by disconnecting


async def _events(state: StandIn, first: list[str], delta: Callable[[str], str], last: list[str]) -> AsyncIterator[str]:
    for event in first:
        yield event
    for sent, word in enumerate(state.words()):
        if sent == state.stall_after:
            await asyncio.sleep(STALL_SECONDS)
        yield delta(word)
    for event in last:
        yield event


def _openai_stream(state: StandIn, model: str) -> StreamingResponse:
    def chunk(delta: dict[str, str], finish: str | None = None) -> str:
        data = {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(data)}\n\n"

    first = [chunk({"role": "assistant", "content": ""})]
    last = [chunk({}, "stop"), "data: [DONE]\n\n"]
    return StreamingResponse(
        _events(state, first, lambda word: chunk({"content": word}), last), media_type="text/event-stream"
    )


def _anthropic_stream(state: StandIn, model: str) -> StreamingResponse:
    def event(name: str, data: dict[str, Any]) -> str:
        return f"event: {name}\ndata: {json.dumps({'type': name, **data})}\n\n"

    message: dict[str, Any] = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 1, "output_tokens": 1},
    }
    first = [
        event("message_start", {"message": message}),
        event("content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}}),
    ]
    last = [
        event("content_block_stop", {"index": 0}),
        event(
            "message_delta",
            {"delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 1}},
        ),
        event("message_stop", {}),
    ]

    def delta(word: str) -> str:
        return event("content_block_delta", {"index": 0, "delta": {"type": "text_delta", "text": word}})

    return StreamingResponse(_events(state, first, delta, last), media_type="text/event-stream")


def _app(state: StandIn) -> Starlette:
    async def chat(request: Request) -> JSONResponse | StreamingResponse:
        body = await request.json()
        state.received.append(("openai", dict(request.headers), body))
        if state.status != 200:
            return JSONResponse({"error": {"message": "overloaded", "type": "server_error"}}, state.status)
        if body.get("stream"):
            return _openai_stream(state, body["model"])
        return JSONResponse(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": f" {state.reply} "},
                    }
                ],
            }
        )

    async def messages(request: Request) -> JSONResponse | StreamingResponse:
        body = await request.json()
        state.received.append(("anthropic", dict(request.headers), body))
        if state.status != 200:
            return JSONResponse({"type": "error", "error": {"type": "overloaded_error", "message": "x"}}, state.status)
        if body.get("stream"):
            return _anthropic_stream(state, body["model"])
        return JSONResponse(
            {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "stop_reason": "end_turn",
                "content": [{"type": "text", "text": state.reply}],
                "usage": {"input_tokens": 1, "output_tokens": 1},
            }
        )

    return Starlette(
        routes=[
            Route("/v1/chat/completions", chat, methods=["POST"]),
            Route("/v1/messages", messages, methods=["POST"]),
        ]
    )


def serve_standin() -> Iterator[StandIn]:
    """A stand-in on a free loopback port for the duration of a test."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    state = StandIn(url=f"http://127.0.0.1:{port}")
    server = uvicorn.Server(uvicorn.Config(_app(state), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield state
    server.should_exit = True
    thread.join(timeout=5)
