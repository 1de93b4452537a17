"""A bound on the work one request makes a subgraph do: the objects its list fields return, and
how long it keeps listing them.

The cost estimate (``kcp.edge.cost``) refuses what *looks* expensive before anything runs; it
cannot know how many records a list without a page size holds, nor how far a graph traversal
fans out. ``ListedObjects`` counts, while the operation runs, every object returned by a list
field (a traversal's neighbourhood, a category's products, an ``_entities`` batch) and, once the
request has listed more than ``MAX_LISTED_OBJECTS`` or has run longer than the edge's
``work_seconds`` (80% of the router's subgraph timeout), answers every further list field with an
``OPERATION_LIMIT_EXCEEDED`` error instead of its items: the request ends with partial data and a
clear error, where an eight-level traversal used to run past any client's timeout. The time bound
matters on a busy machine, where listing the maximum can take longer than the router waits.
"""

from __future__ import annotations

import inspect
import time
from typing import TYPE_CHECKING, Any

from graphql import GraphQLList, GraphQLNonNull
from strawberry.extensions import SchemaExtension

from kcp.errors import ErrorCode, KcpError

if TYPE_CHECKING:
    from collections.abc import Callable

    from graphql import GraphQLResolveInfo

# What the router's largest admitted operations list (cost budget 10,000 at ten items per list
# without a size) with room to spare; an in-memory Strawberry subgraph lists ~20,000 objects a second.
MAX_LISTED_OBJECTS = 20_000
# Used when the schema has no edge gate (a schema built outside create_subgraph_app).
DEFAULT_WORK_SECONDS = 8.0


class TooMuchWorkError(KcpError):
    code = ErrorCode.OPERATION_LIMIT_EXCEEDED


def _is_list(info: GraphQLResolveInfo[Any]) -> bool:
    type_ = info.return_type
    return isinstance(type_.of_type if isinstance(type_, GraphQLNonNull) else type_, GraphQLList)


class ListedObjects(SchemaExtension):
    """Counts the objects list fields return in one request; refuses more than ``MAX_LISTED_OBJECTS``."""

    def __init__(self, maximum: int = MAX_LISTED_OBJECTS) -> None:
        super().__init__()
        self.maximum = maximum
        self.listed = 0
        self.started = time.monotonic()
        self._deadline: float | None = None

    def _past_deadline(self) -> bool:
        if self._deadline is None:
            gate = getattr(self.execution_context.schema, "edge_gate", None)
            seconds = gate.edge.work_seconds if gate is not None else DEFAULT_WORK_SECONDS
            self._deadline = self.started + seconds
        return time.monotonic() > self._deadline

    def _count(self, value: object) -> object:
        if isinstance(value, list):
            self.listed += len(value)
            if self.listed > self.maximum:
                msg = f"the operation listed more than {self.maximum} objects; ask for fewer or smaller pages"
                raise TooMuchWorkError(msg)
        return value

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *args: str, **kwargs: Any
    ) -> Any:
        if not _is_list(info):
            return _next(root, info, *args, **kwargs)
        if self.listed > self.maximum:
            msg = f"the operation listed more than {self.maximum} objects; ask for fewer or smaller pages"
            raise TooMuchWorkError(msg)
        if self._past_deadline():
            msg = "the operation ran out of time listing objects; ask for fewer or smaller pages"
            raise TooMuchWorkError(msg)
        result = _next(root, info, *args, **kwargs)
        if inspect.isawaitable(result):
            return self._counted(result)
        return self._count(result)

    async def _counted(self, awaitable: Any) -> object:
        return self._count(await awaitable)
