"""Where searches are recorded: analytics, through the platform's event emitter.

``kcp.events.EventEmitter`` (non-blocking, bounded, batched) satisfies ``EventSink``; a search
only hands it a dict and goes on, so recording never slows the search down.
"""

from __future__ import annotations

from typing import Any, Protocol

SEARCH = "search"


class EventSink(Protocol):
    def emit(self, kind: str, **fields: Any) -> None: ...
