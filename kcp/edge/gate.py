"""A subgraph's edge: the router's checks with limits sized for what the router forwards.

``SubgraphEdge`` holds the limits, derived from the router's own settings: the router sends a
subgraph a part of an operation it admitted, with fragments inlined, ``_entities`` around entity
selections and a few planner aliases (``kcp_requires_*``); so a subgraph allows a little more depth
and twice the aliases, root fields and directives, four times the tokens, three times the expanded
fields, twice the body, and its own cost budget (``KCP_SUBGRAPH_COST_BUDGET``), in which an
``_entities`` batch counts as many objects as it has representations.

``DocumentGate`` applies them to one document: parsed once (tokens bounded) and kept in a small
LRU bounded by entries *and* by the characters of the documents it holds (a cache keyed by
document text is otherwise what hostile, unique, large documents fill memory with), shape-checked,
validated once against the specified rules, then costed per request with its variables. Syntax and
validation errors are left to Strawberry to report as usual; limits and cost are refusals (400).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError, OperationDefinitionNode, validate

from kcp.edge.body import MAX_BODY_BYTES
from kcp.edge.cost import cost_error, operation_cost
from kcp.edge.document import (
    MAX_EXPANDED_FIELDS,
    MAX_TOKENS,
    DocumentLimits,
    expanded_fields_error,
    parse_within,
)
from kcp.edge.refusal import Refusal
from kcp.edge.shape import OperationLimits

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import DocumentNode, GraphQLSchema

    from kcp.settings import Settings

# Room for what the router adds below its own limits: _entities and its inline fragment.
EXTRA_DEPTH = 2
CACHED_DOCUMENTS = 256
# The documents the router sends are a few KB; together, at most this many characters are kept.
CACHED_CHARACTERS = 1_000_000
WORK_SHARE_OF_ROUTER_TIMEOUT = 0.8


@dataclass(frozen=True, slots=True)
class SubgraphEdge:
    """What a subgraph accepts; ``router_secret`` set: only requests the router signed."""

    limits: DocumentLimits = field(default_factory=DocumentLimits)
    cost_budget: int = 100_000
    max_body_bytes: int = 2 * MAX_BODY_BYTES
    router_secret: str | None = None
    # How long one request may keep listing objects (kcp.edge.work); by then the router has given up.
    work_seconds: float = 8.0


def subgraph_edge(settings: Settings) -> SubgraphEdge:
    """The subgraph limits for the router these settings configure."""
    secret = settings.kcp_identity_secret.get_secret_value() if settings.kcp_identity_secret else None
    require = settings.kcp_production or settings.kcp_subgraph_require_router_signature
    return SubgraphEdge(
        limits=DocumentLimits(
            shape=OperationLimits(
                max_depth=settings.kcp_max_depth + EXTRA_DEPTH,
                max_aliases=2 * settings.kcp_max_aliases,
                max_root_fields=2 * settings.kcp_max_root_fields,
                max_directives=2 * OperationLimits().max_directives,
            ),
            max_tokens=4 * MAX_TOKENS,
            max_expanded_fields=3 * MAX_EXPANDED_FIELDS,
        ),
        cost_budget=settings.kcp_subgraph_cost_budget,
        router_secret=secret if require else None,
        # The router waits kcp_subgraph_timeout_seconds for an answer; work past 80% of that is for
        # nobody, and stopping there leaves time for the partial answer and its error to arrive.
        work_seconds=WORK_SHARE_OF_ROUTER_TIMEOUT * settings.kcp_subgraph_timeout_seconds,
    )


@dataclass(slots=True)
class _Entry:
    document: DocumentNode | list[dict[str, Any]]  # parsed, or its parse / shape errors
    valid: bool | None = None  # under the specified rules; None: not validated yet
    strawberry_errors: list[GraphQLError] | None = None  # the schema's own validation, as Strawberry ran it


class DocumentGate:
    """The edge checks of one subgraph schema, with what they compute once per document kept."""

    def __init__(self, schema: GraphQLSchema, edge: SubgraphEdge) -> None:
        self.schema = schema
        self.edge = edge
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._characters = 0

    def __len__(self) -> int:
        return len(self._entries)

    def entry(self, query: str) -> _Entry:
        """The document's entry, parsed and shape-checked on first sight."""
        entry = self._entries.get(query)
        if entry is not None:
            self._entries.move_to_end(query)
            return entry
        entry = _Entry(parse_within(query, self.edge.limits))
        if len(query) <= CACHED_CHARACTERS // 4:  # a huge document is checked, not kept
            self._entries[query] = entry
            self._characters += len(query)
            while len(self._entries) > CACHED_DOCUMENTS or self._characters > CACHED_CHARACTERS:
                evicted, _ = self._entries.popitem(last=False)
                self._characters -= len(evicted)
        return entry

    def admit(self, query: str, operation_name: str | None, variables: Mapping[str, Any]) -> None:
        """Refuse (``Refusal``, 400) a document over a limit or an operation over the cost budget.

        A syntax or validation error is not refused here: Strawberry reports it as it always has.
        """
        entry = self.entry(query)
        if isinstance(entry.document, list):
            if any(e["extensions"]["code"] != "GRAPHQL_PARSE_FAILED" for e in entry.document):
                raise Refusal(entry.document)
            return
        if entry.valid is None:
            entry.valid = not validate(self.schema, entry.document)
        if not entry.valid:
            return
        too_many = expanded_fields_error(entry.document, self.edge.limits)
        if too_many is not None:
            raise Refusal([too_many])
        operation = _operation(entry.document, operation_name)
        if operation is None:
            return  # Strawberry says which operation is missing
        cost = operation_cost(self.schema, operation, variables, entry.document)
        if cost > self.edge.cost_budget:
            raise Refusal([cost_error(cost, self.edge.cost_budget)])

    def declared_variables(self, query: str, operation_name: str | None) -> frozenset[str]:
        """The variables the operation declares; none when the document or operation is not found.

        GraphQL reads only these, so the rest of a request's ``variables`` is dropped on admission:
        kept, a few MB of undeclared values lived as long as Strawberry's per-request reference
        cycles (until the collector's next full pass), and hostile requests piled them up.
        """
        document = self.entry(query).document
        operation = None if isinstance(document, list) else _operation(document, operation_name)
        if operation is None:
            return frozenset()
        return frozenset(d.variable.name.value for d in operation.variable_definitions or ())


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)
