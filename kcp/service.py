"""The ASGI shape every subgraph shares: ``/graphql``, ``/health``, ``/ready`` and ``/metrics``.

A subgraph hands in its Strawberry schema, a context factory and its stores' readiness probes;
this module wires them into one Starlette app with error masking and Prometheus metrics.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import strawberry
import structlog
from cross_web import HTTPException  # the exception Strawberry raises for unreadable requests
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import MaskErrors, ParserCache, ValidationCache

from kcp.error_reports import configure_error_reports, report_exception
from kcp.errors import ErrorCode, KcpError
from kcp.metrics import STORE_READY, metrics_endpoint
from kcp.stores.unreachable import unreachable_store
from kcp.telemetry import TelemetryMiddleware

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send
    from starlette.websockets import WebSocket
    from strawberry.extensions import SchemaExtension
    from strawberry.federation import Schema
    from strawberry.http import GraphQLHTTPResponse
    from strawberry.types import ExecutionContext, ExecutionResult

log = structlog.get_logger()

ContextFactory = Callable[["Request"], Awaitable[Any]]
ReadinessProbe = Callable[[], Awaitable[None]]
"""Raises when the store it checks cannot serve; the exception's text says why."""


@dataclass(frozen=True)
class SubgraphService:
    """Everything the shared app factory needs from one subgraph."""

    name: str
    schema: Schema
    context_factory: ContextFactory
    readiness: Mapping[str, ReadinessProbe] = field(default_factory=dict)
    startup: Sequence[Callable[[], Awaitable[None]]] = ()
    shutdown: Sequence[Callable[[], Awaitable[None]]] = ()


def should_mask(error: GraphQLError) -> bool:
    """Mask unexpected exceptions; keep GraphQL's own errors and our coded domain errors."""
    original = error.original_error
    return original is not None and not isinstance(original, (KcpError, GraphQLError))


class MaskUnexpectedErrors(MaskErrors):
    """Strawberry's masking, with the stable code clients rely on; the original is logged."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask, error_message="Internal server error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        store = unreachable_store(error.original_error) if error.original_error is not None else None
        if store is not None:
            # Not a bug of ours: a database that is down. Say which (as /ready does).
            log.warning("graphql.store_unavailable", path=error.path, store=store, error=str(error.original_error))
            masked.message = f"The {store} store this service needs is unavailable; try again shortly."
            masked.extensions = {"code": str(ErrorCode.STORE_UNAVAILABLE), "store": store}
            return masked
        log.error("graphql.unexpected_error", path=error.path, exc_info=error.original_error)
        if error.original_error is not None:  # always: should_mask() masks only errors that have one
            report_exception(error.original_error)
        masked.extensions = {"code": str(ErrorCode.INTERNAL_SERVER_ERROR)}
        return masked


# Behind the router a subgraph sees the same few fetch documents over and over; parsing and
# validating each of them once instead of per request saves several ms a request.
DOCUMENT_CACHE_SIZE = 1024


def subgraph_extensions() -> list[type[SchemaExtension] | Callable[[], SchemaExtension]]:
    """The schema extensions every subgraph uses: error masking and parse/validation caches.

    Factories, as Strawberry wants them (one extension per request); the caches themselves are
    module-level in Strawberry, shared by every request.
    """
    return [
        MaskUnexpectedErrors,
        functools.partial(ParserCache, maxsize=DOCUMENT_CACHE_SIZE),
        functools.partial(ValidationCache, maxsize=DOCUMENT_CACHE_SIZE),
    ]


class SubgraphSchema(strawberry.federation.Schema):
    """A Federation-2 schema that does not log client errors.

    Strawberry logs every error with its source excerpt, which quotes the client's document
    (a password typed into ``login`` included). Expected errors are the client's business;
    unexpected ones are logged once, without the document, by ``MaskUnexpectedErrors``.
    """

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        pass


def _default_code(error: Mapping[str, Any]) -> ErrorCode:
    """The code of an error graphql-core raised itself (only ours carry one)."""
    if "path" in error:
        return ErrorCode.INTERNAL_SERVER_ERROR  # e.g. a null for a non-null field: our bug
    message = str(error.get("message", ""))
    if message.startswith("Syntax Error"):
        return ErrorCode.GRAPHQL_PARSE_FAILED
    if message.startswith("Variable "):
        return ErrorCode.BAD_USER_INPUT
    return ErrorCode.GRAPHQL_VALIDATION_FAILED


class _SubgraphGraphQL(GraphQL[Any, None]):
    def __init__(self, service: SubgraphService) -> None:
        super().__init__(service.schema, graphql_ide="graphiql")
        self._context_factory = service.context_factory

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Any:  # noqa: ARG002 - Strawberry's signature
        return await self._context_factory(request)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Strawberry answers a request it cannot read (bad JSON, no query, wrong method) in plain
        # text; the contract of every KCP service is a GraphQL error body with a code.
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response: Response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as error:
            code = ErrorCode.METHOD_NOT_ALLOWED if error.status_code == 405 else ErrorCode.BAD_REQUEST  # noqa: PLR2004
            body = {"errors": [{"message": error.reason, "extensions": {"code": str(code)}}]}
            response = JSONResponse(body, status_code=error.status_code)
        except (UnicodeError, RecursionError) as error:
            # Bytes that are not UTF-8, or JSON nested past the interpreter's limit: Strawberry's
            # body parsing raises these past its own error handling.
            message = (
                "the request body is not valid UTF-8 JSON"
                if isinstance(error, UnicodeError)
                else ("the request body is nested too deeply")
            )
            body = {"errors": [{"message": message, "extensions": {"code": str(ErrorCode.BAD_REQUEST)}}]}
            response = JSONResponse(body, status_code=400)
        await response(scope, receive, send)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        # Every error leaves a subgraph with a stable extensions.code, graphql-core's own too.
        response = await super().process_result(request, result)
        errors: list[dict[str, Any]] = response.get("errors") or []  # type: ignore[assignment]  # Strawberry types them loosely
        for error in errors:
            extensions = error.setdefault("extensions", {})
            extensions.setdefault("code", str(_default_code(error)))
        return response


def create_subgraph_app(service: SubgraphService) -> Starlette:
    """Build the subgraph's ASGI app; start-up runs the service's hooks in order."""
    from kcp.settings import get_settings  # noqa: PLC0415 - the process's settings, read once

    configure_error_reports(get_settings(), service.name)
    graphql_app = _SubgraphGraphQL(service)

    async def health(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "service": service.name})

    async def ready(_request: Request) -> JSONResponse:
        failures: dict[str, str] = {}
        for store, probe in service.readiness.items():
            try:
                await probe()
            except Exception as error:  # noqa: BLE001 - any failure means not ready; say which
                failures[store] = f"{type(error).__name__}: {error}"
            STORE_READY.labels(service.name, store).set(0 if store in failures else 1)
        if failures:
            log.warning("service.not_ready", failures=failures)
            return JSONResponse({"status": "unavailable", "service": service.name, "failures": failures}, 503)
        return JSONResponse({"status": "ready", "service": service.name})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        for hook in service.startup:
            await hook()
        log.info("service.started", subgraph=service.name)
        try:
            yield
        finally:
            for hook in service.shutdown:
                await hook()

    return Starlette(
        routes=[
            # No method filter here: Strawberry refuses other methods itself, as a GraphQL error.
            Route("/graphql", graphql_app),
            Route("/health", health),
            Route("/ready", ready),
            Route("/metrics", metrics_endpoint),
        ],
        middleware=[Middleware(TelemetryMiddleware, service=service.name)],
        lifespan=lifespan,
    )
