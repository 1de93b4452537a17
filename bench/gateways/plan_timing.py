"""Our router's cold plan (parse, validate, plan), a new rewritten document, and a plan-cache hit,
timed in-process; and the same timings on another git revision's router (the baseline), printed
beside them by the gateways bench.

Run alone: .venv/bin/python -m bench.gateways.plan_timing [--baseline main]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from bench.gateways.variants import variants
from kcp.settings import PERSISTED_DIR, Settings
from kcp.stores.keyvalue import InProcessKeyValueStore
from router.pipeline import document
from router.pipeline.run import Pipeline
from router.policy.authorization import Authorized
from router.policy.edge import build_edge

if TYPE_CHECKING:
    from router.executor import Executor
    from router.supergraph import Supergraph

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
COLD_ROUNDS = 30
NEW_DOCUMENT_ROUNDS = 100
HIT_ROUNDS = 3000


def _plan_once(pipeline: Pipeline, query: str, operation_name: str | None = None) -> None:
    operation = document.operation(pipeline.documents, query, operation_name)
    # Planning alone, as every caller may see every field: no policy stage (the bench's router runs
    # with a cost budget above the TestQuery's; this pipeline has the default one).
    authorized = Authorized(operation.document, operation.definition, [], ())
    # Older revisions (the baseline) have no canonical operations and a two-argument plan().
    canonical = getattr(operation, "canonical", None)
    planner: Any = pipeline.planner
    planner.plan(operation, authorized) if canonical is None else planner.plan(operation, authorized, canonical)


def plan_timings_ms(supergraph: Supergraph, query: str) -> dict[str, float]:
    """Median ms of: a cold plan with empty caches; a new rewritten document (aliases, fragment
    names, order, operation name) once the TestQuery ran; a document + plan cache hit."""
    executor = cast("Executor", None)  # planning never calls the executor
    edge = build_edge(Settings(), InProcessKeyValueStore(), PERSISTED_DIR)
    cold: list[float] = []
    for _ in range(COLD_ROUNDS):
        pipeline = Pipeline(supergraph, executor, edge)
        started = time.perf_counter()
        _plan_once(pipeline, query)
        cold.append(time.perf_counter() - started)
    new: list[float] = []
    for n, variant in enumerate(variants(query, NEW_DOCUMENT_ROUNDS)):
        body = json.loads(variant.filled(n))
        started = time.perf_counter()
        _plan_once(pipeline, body["query"], body["operationName"])
        new.append(time.perf_counter() - started)
    hits: list[float] = []
    for _ in range(HIT_ROUNDS):
        started = time.perf_counter()
        _plan_once(pipeline, query)
        hits.append(time.perf_counter() - started)
    return {
        "cold": statistics.median(cold) * 1000,
        "new_document": statistics.median(new) * 1000,
        "hit": statistics.median(hits) * 1000,
    }


def baseline_timings_ms(revision: str) -> dict[str, float] | str:
    """The same timings on ``revision``'s router and kernel (``git archive`` into a temporary folder,
    run in a child process with this tree's bench code): the figures, or why there are none."""
    with tempfile.TemporaryDirectory(prefix="kcp-plan-baseline-") as folder:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", revision, "router", "kcp"],  # noqa: S607 - git on PATH
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            return f"no baseline: git archive {revision} failed: {archive.stderr.decode(errors='replace').strip()}"
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)  # noqa: S607 - tar on PATH
        environment = {**os.environ, "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}"}
        command = [sys.executable, "-m", "bench.gateways.plan_timing", "--json"]
        ran = subprocess.run(command, cwd=folder, env=environment, capture_output=True, text=True, check=False)
        if ran.returncode != 0:
            return f"no baseline: timing on {revision} failed: {ran.stderr.strip().splitlines()[-1:]}"
        return cast("dict[str, float]", json.loads(ran.stdout.strip().splitlines()[-1]))


def describe(timings: dict[str, float]) -> str:
    return (
        f"cold plan (parse + validate + plan, empty caches) {timings['cold']:.2f} ms, "
        f"a new rewritten document {timings['new_document']:.2f} ms, plan-cache hit {timings['hit']:.3f} ms"
    )


def main() -> None:
    from router.supergraph import load_supergraph_file  # noqa: PLC0415 - the revision under test's

    parser = argparse.ArgumentParser(prog="python -m bench.gateways.plan_timing", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print this tree's timings as one JSON line")
    parser.add_argument("--baseline", default="main", help="git revision to time beside this tree (default main)")
    arguments = parser.parse_args()
    query = (HERE / "test_query.graphql").read_text(encoding="utf-8")
    timings = plan_timings_ms(load_supergraph_file(HERE / "supergraph.graphql"), query)
    if arguments.json:
        print(json.dumps(timings))
        return
    baseline = baseline_timings_ms(arguments.baseline)
    print(f"kcp router: {describe(timings)}")
    print(f"  baseline {arguments.baseline}: {baseline if isinstance(baseline, str) else describe(baseline)}")


if __name__ == "__main__":
    main()
