"""structlog set-up: ``domain.event`` names with key-value fields, never interpolated messages."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, cast

import structlog

if TYPE_CHECKING:
    from typing import TextIO


class _CurrentStderr:
    """``sys.stderr`` as it is at each write, not as it was when logging was configured: a command
    run in-process (a test's, or a tool redirecting output) may replace and close the stream it had,
    and a logger holding the old one would fail every later line with "I/O operation on closed file"."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


STDERR = cast("TextIO", _CurrentStderr())


def configure_logging(service: str, *, level: str = "info", json: bool = False) -> None:
    """Route structlog and the standard library (uvicorn's own lines too) through one renderer
    bound to ``service``, so with ``json`` every line a process writes is one JSON object."""
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    # Tracebacks are rendered plain: the default (rich) formatter prints every frame's local
    # variables, and those hold request headers, tokens and passwords.
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
    finishing: list[structlog.typing.Processor] = [structlog.processors.format_exc_info] if json else []
    structlog.configure(
        processors=[*shared, *finishing, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=STDERR),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    handler = logging.StreamHandler(STDERR)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *finishing, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    # Libraries' info lines (uvicorn's start-up, httpx's requests) stay out below warning.
    root.setLevel(max(numeric, logging.WARNING))
