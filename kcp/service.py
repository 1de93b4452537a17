"""The ASGI shape every subgraph shares: ``/graphql``, ``/health``, ``/ready`` and ``/metrics``.

A subgraph hands in its Strawberry schema, a context factory and its stores' readiness probes;
this module wires them into one Starlette app with error masking and Prometheus metrics.

Before Strawberry sees a ``/graphql`` request, the kernel's edge checks run on it (``kcp.edge``,
the router's own code): the router's signature when required, the body (size, content type,
strict JSON, an object), then the document (tokens, shape, expanded fields, estimated cost);
a refusal is a 4xx with a GraphQL error body and a code.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
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
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.http import GraphQLRequestData

from kcp.abandoned_loads import AbandonedLoads
from kcp.edge.body import GraphQLRequest, read_body, read_request
from kcp.edge.gate import DocumentGate, subgraph_edge
from kcp.edge.refusal import Refusal
from kcp.edge.signature import ROUTER_SIGNATURE_HEADER, check_signature
from kcp.edge.work import ListedObjects
from kcp.error_reports import configure_error_reports, report_exception
from kcp.errors import ErrorCode, KcpError
from kcp.metrics import STORE_READY, metrics_endpoint
from kcp.stores.unreachable import unreachable_store
from kcp.telemetry import TelemetryMiddleware

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cross_web import AsyncHTTPRequestAdapter
    from starlette.types import Receive, Scope, Send
    from starlette.websockets import WebSocket
    from strawberry.federation import Schema
    from strawberry.http import GraphQLHTTPResponse
    from strawberry.types import ExecutionContext, ExecutionResult

    from kcp.settings import Settings

log = structlog.get_logger()

ContextFactory = Callable[["Request"], Awaitable[Any]]
# The parameters of the POST request this task is serving, as the edge checks read them.
_ADMITTED: ContextVar[GraphQLRequest | None] = ContextVar("kcp_admitted_request", default=None)
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


class GatedDocuments(SchemaExtension):
    """Parse and validation, once per document: from the schema's ``DocumentGate``.

    Behind the router a subgraph sees the same few fetch documents over and over; parsing and
    validating each once instead of per request saves several ms a request. The gate's cache is
    bounded by entries and by characters (Strawberry's ParserCache, keyed by text, kept up to
    1,024 documents of any size: hostile unique documents of a few hundred KB grew a subgraph by
    hundreds of MB). Without a gate (a schema served outside ``create_subgraph_app``) Strawberry
    parses and validates as usual.
    """

    def _gate(self) -> DocumentGate | None:
        return getattr(self.execution_context.schema, "edge_gate", None)

    def on_parse(self) -> Iterator[None]:
        gate, query = self._gate(), self.execution_context.query
        if gate is not None and query:
            document = gate.entry(query).document
            if isinstance(document, list):
                error = document[0]
                raise GraphQLError(error["message"], extensions=error.get("extensions"))
            self.execution_context.graphql_document = document
        yield

    def on_validate(self) -> Iterator[None]:
        gate, query = self._gate(), self.execution_context.query
        entry = gate.entry(query) if gate is not None and query else None
        if entry is not None and entry.strawberry_errors is not None:
            self.execution_context.pre_execution_errors = entry.strawberry_errors
        yield
        if entry is not None and entry.strawberry_errors is None:
            entry.strawberry_errors = list(self.execution_context.pre_execution_errors or [])


def subgraph_extensions() -> list[type[SchemaExtension] | Callable[[], SchemaExtension]]:
    """The schema extensions every subgraph uses: error masking, the gate's document cache, the
    bound on listed objects (``kcp.edge.work``) and shared loads' cancellation kept to one field
    (``kcp.abandoned_loads``).

    Factories, as Strawberry wants them (one extension per request).
    """
    return [MaskUnexpectedErrors, GatedDocuments, ListedObjects, AbandonedLoads]


class SubgraphSchema(strawberry.federation.Schema):
    """A Federation-2 schema that does not log client errors.

    Strawberry logs every error with its source excerpt, which quotes the client's document
    (a password typed into ``login`` included). Expected errors are the client's business;
    unexpected ones are logged once, without the document, by ``MaskUnexpectedErrors``.

    ``edge_gate`` is set by ``create_subgraph_app``: the edge checks and document cache.
    """

    edge_gate: DocumentGate | None = None

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
    def __init__(self, service: SubgraphService, gate: DocumentGate) -> None:
        super().__init__(service.schema, graphql_ide="graphiql")
        self._context_factory = service.context_factory
        self._gate = gate

    async def _admit(self, scope: Scope, receive: Receive) -> Request:
        """The request for Strawberry once the edge checks pass; ``Refusal`` otherwise."""
        request = Request(scope=scope, receive=receive)
        edge = self._gate.edge
        if request.method not in {"GET", "HEAD", "POST"}:
            return request  # Strawberry's 405, as a GraphQL error (below)
        body = await read_body(request, edge.max_body_bytes) if request.method == "POST" else b""
        if edge.router_secret is not None:  # before anything is parsed
            header = request.headers.get(ROUTER_SIGNATURE_HEADER)
            check_signature(header, edge.router_secret, scope["path"], body)
        if request.method != "POST" and "query" not in request.query_params:
            return request  # GraphiQL, or Strawberry's own "no query" error
        params = await read_request(request, edge.max_body_bytes, body=body)
        if params.query is not None:
            self._gate.admit(params.query, params.operation_name, params.variables)
        if request.method == "POST":
            # Strawberry takes these parameters as they are (``parse_http_body``): parsing a body of
            # a few MB a second time doubled what each such request held at its peak. Only the
            # variables the operation declares go on (``DocumentGate.declared_variables``).
            declared = self._gate.declared_variables(params.query, params.operation_name) if params.query else ()
            variables = {name: value for name, value in params.variables.items() if name in declared}
            _ADMITTED.set(dataclasses.replace(params, variables=variables))
        return request

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData | list[GraphQLRequestData]:
        admitted = _ADMITTED.get()
        if admitted is None or request.method != "POST":
            return await super().parse_http_body(request)
        transport = self._get_stream_transport_from_headers(request.headers)
        return GraphQLRequestData(
            query=admitted.query,
            variables=admitted.variables,
            operation_name=admitted.operation_name,
            extensions=admitted.extensions,
            protocol=transport.protocol if transport else "http",
        )

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Any:  # noqa: ARG002 - Strawberry's signature
        return await self._context_factory(request)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Strawberry answers a request it cannot read (bad JSON, no query, wrong method) in plain
        # text; the contract of every KCP service is a GraphQL error body with a code.
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        admitted = _ADMITTED.set(None)  # until this request's parameters are read and checked
        try:
            await self._serve(scope, receive, send)
        finally:
            _ADMITTED.reset(admitted)  # what the request sent is not kept past its answer

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            response: Response = await self.run(await self._admit(scope, receive))
        except Refusal as refused:
            response = JSONResponse({"errors": refused.errors}, status_code=refused.status, headers=refused.headers)
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


def _install_gate(service: SubgraphService, settings: Settings) -> DocumentGate:
    """The service's edge checks, installed on its schema for ``GatedDocuments``."""
    gate = DocumentGate(service.schema._schema, subgraph_edge(settings))  # noqa: SLF001 - Strawberry's graphql-core schema
    if isinstance(service.schema, SubgraphSchema):
        service.schema.edge_gate = gate
    if gate.edge.router_secret is None:
        log.info("service.direct_access", subgraph=service.name, note="router signature not required")
    return gate


def create_subgraph_app(service: SubgraphService, settings: Settings | None = None) -> Starlette:
    """Build the subgraph's ASGI app; start-up runs the service's hooks in order.

    ``settings``: the process's (``get_settings()``) unless given.
    """
    from kcp.settings import get_settings  # noqa: PLC0415 - the process's settings, read once

    settings = settings or get_settings()
    configure_error_reports(settings, service.name)
    graphql_app = _SubgraphGraphQL(service, _install_gate(service, settings))

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
