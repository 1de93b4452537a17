"""Our router's cold plan (parse, validate, plan) against a plan-cache hit, timed in-process."""

from __future__ import annotations

import statistics
import time
from typing import TYPE_CHECKING, cast

from kcp.settings import PERSISTED_DIR, Settings
from kcp.stores.keyvalue import InProcessKeyValueStore
from router.pipeline import document
from router.pipeline.run import Pipeline
from router.policy.authorization import Authorized
from router.policy.edge import build_edge

if TYPE_CHECKING:
    from router.executor import Executor
    from router.supergraph import Supergraph

COLD_ROUNDS = 30
HIT_ROUNDS = 3000


def _plan_once(pipeline: Pipeline, query: str) -> None:
    operation = document.operation(pipeline.documents, query, None)
    # Planning alone, as every caller may see every field: no policy stage (the bench's router runs
    # with a cost budget above the TestQuery's; this pipeline has the default one).
    pipeline.planner.plan(operation, Authorized(operation.document, operation.definition, [], ()))


def plan_timings_ms(supergraph: Supergraph, query: str) -> tuple[float, float]:
    """Median ms of (a cold plan with empty caches, a document + plan cache hit)."""
    executor = cast("Executor", None)  # planning never calls the executor
    edge = build_edge(Settings(), InProcessKeyValueStore(), PERSISTED_DIR)
    cold: list[float] = []
    for _ in range(COLD_ROUNDS):
        pipeline = Pipeline(supergraph, executor, edge)
        started = time.perf_counter()
        _plan_once(pipeline, query)
        cold.append(time.perf_counter() - started)
    hits: list[float] = []
    for _ in range(HIT_ROUNDS):
        started = time.perf_counter()
        _plan_once(pipeline, query)
        hits.append(time.perf_counter() - started)
    return statistics.median(cold) * 1000, statistics.median(hits) * 1000
