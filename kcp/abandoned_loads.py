"""A field whose shared load was cancelled for another field gets an error, not the whole request.

graphql-core 3.3 cancels the sibling fields still running when one field's error nulls their
parent. A sibling waiting on a DataLoader cancels, with itself, the loader's future, which other
fields of the same request share (one load per key): those fields then see ``CancelledError``
although nothing cancelled them, and being a ``BaseException`` it ends the whole request in a 500
with a text body (bench.hostile found it: a fuzzed knowledge query, ``firmware`` over a
cancelled product load). ``AbandonedLoads`` turns that foreign cancellation into this field's
error; a cancellation aimed at the field's own task still propagates as it should.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import TYPE_CHECKING, Any

from strawberry.extensions import SchemaExtension

from kcp.errors import ErrorCode, KcpError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from graphql import GraphQLResolveInfo


class AbandonedLoadError(KcpError):
    code = ErrorCode.INTERNAL_SERVER_ERROR


async def _settled(awaitable: Awaitable[Any]) -> Any:
    try:
        return await awaitable
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise  # this field itself is being cancelled
        msg = "this field's data was shared with a field of the operation that failed; ask again without that field"
        raise AbandonedLoadError(msg) from None


class AbandonedLoads(SchemaExtension):
    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *args: str, **kwargs: Any
    ) -> Any:
        result = _next(root, info, *args, **kwargs)
        return _settled(result) if inspect.isawaitable(result) else result
