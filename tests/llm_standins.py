"""Stand-ins of the OpenAI and Anthropic HTTP APIs: a real local server speaking their wire format.

The SDKs talk to it over HTTP exactly as to the vendors (``OPENAI_BASE_URL`` / ``ANTHROPIC_BASE_URL``
point at it), so their request building, headers, retries and error mapping all run; the server
records what it received and answers in the documented response shapes.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

if TYPE_CHECKING:
    from collections.abc import Iterator

    from starlette.requests import Request


@dataclass
class StandIn:
    url: str
    received: list[tuple[str, dict[str, str], dict[str, Any]]] = field(default_factory=list)
    reply: str = "Space One, quieter."
    status: int = 200  # anything else: an error body of that status


def _app(state: StandIn) -> Starlette:
    async def chat(request: Request) -> JSONResponse:
        body = await request.json()
        state.received.append(("openai", dict(request.headers), body))
        if state.status != 200:
            return JSONResponse({"error": {"message": "overloaded", "type": "server_error"}}, state.status)
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

    async def messages(request: Request) -> JSONResponse:
        body = await request.json()
        state.received.append(("anthropic", dict(request.headers), body))
        if state.status != 200:
            return JSONResponse({"type": "error", "error": {"type": "overloaded_error", "message": "x"}}, state.status)
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
