"""The plan stage: a caching planner wrapped around the pure one (``router.planner``).

Plans are cached per canonical operation (``router.pipeline.canonical``: aliases, fragment names,
field order and operation name normalised away) when authorization removed nothing, else per
(document, operation, fields authorization removed): callers with other scopes plan other
operations. The planner itself keeps nothing between calls; this wrapper is the only place plans
are kept, as Apollo Router's ``CachingQueryPlanner`` wraps its planner.
A planning failure or timeout becomes the request's refusal here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

from kcp.errors import ErrorCode
from router.documents import CACHED_CHARACTERS
from router.errors import RouterError
from router.lru import LruCache
from router.planner import PlanningError, PlanningTimeoutError

if TYPE_CHECKING:
    from router.pipeline.canonical import Canonical
    from router.pipeline.document import Operation
    from router.planner import Planner, QueryPlan
    from router.policy.authorization import Authorized

log = structlog.get_logger(__name__)

CACHE_SIZE = 1000


class CachingPlanner:
    """``Planner.plan`` with its plans kept in an LRU."""

    def __init__(self, planner: Planner, size: int = CACHE_SIZE) -> None:
        self.planner = planner
        self._plans: LruCache[tuple[str, str | None, tuple[tuple[str, ...], ...]], QueryPlan] = LruCache(
            size, max_weight=CACHED_CHARACTERS, name="plans"
        )

    def plan(self, operation: Operation, authorized: Authorized, canonical: Canonical | None = None) -> QueryPlan:
        """The plan of the operation as authorized for the caller; ``RouterError`` when there is none.

        With ``canonical`` (the operation's canonical form, nothing removed by authorization) the
        canonical operation is planned: its answer keys are canonical keys, which shaping maps back.
        """
        if canonical is not None:
            key: tuple[str, str | None, tuple[tuple[str, ...], ...]] = ("canonical", canonical.key, ())
            to_plan = canonical.definition
        else:
            key, to_plan = (operation.hash, operation.name, authorized.removed), authorized.operation
        try:
            return self._plans.get(key, lambda: self.planner.plan(to_plan), operation.characters)
        except PlanningTimeoutError as exc:
            log.warning("router.planning_timed_out", document=operation.hash, budget_ms=exc.budget_ms)
            message = f"the router could not plan this operation within {exc.budget_ms:g} ms; simplify it"
            raise RouterError.of(message, ErrorCode.QUERY_PLANNING_TIMEOUT) from exc
        except PlanningError as exc:
            log.error("router.planning_failed", reason=str(exc))  # noqa: TRY400 - the reason is the message
            # The operation is valid, so the fault is the supergraph's or the planner's: a 500, with
            # the planner's reason (it names types and fields, never data) and a code of its own.
            message = f"the router could not plan this operation: {exc}"
            raise RouterError.of(message, ErrorCode.QUERY_PLANNING_FAILED) from exc
