"""Where one retrieval's time goes, stage by stage, at the scaled corpus of ``bench/retrieval.py``.

Scales the demo corpus once into ``--scaled-dir`` (kept, so later runs start at once), then asks
the bench's questions one at a time in one mode and times every call a retrieval makes to its
collaborators (the embedder, the vector store, the keyword leg, the passage reads, the filter
check, the graph hops): per stage its p50/p95 over the questions, and its mean share of the slowest
5 % of retrievals (what the p95 is made of). Wall time per call: stages that overlap count twice.

Run: .venv/bin/python -m bench.retrieval_profile --data-dir /tmp/rag4-data [--mode hybrid+graph]
[--questions 200] [--profile FILE] (the data folder of an earlier ``bench/retrieval.py --data-dir`` run).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import shutil
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import demo
from bench.retrieval import embedded_vectors, percentile, questions, run_mode, scale
from kcp.settings import Settings
from subgraphs.knowledge.relations.repository import RelationRepository
from subgraphs.knowledge.retrieval.repository import ChunkRepository
from subgraphs.knowledge.retrieval.service import Retriever
from subgraphs.knowledge.search.connect import open_search
from subgraphs.knowledge.stores import KnowledgeStores

SLOWEST_SHARE = 0.05


class _Stages:
    """Wall time per stage of the retrieval under way."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)

    def wrap(self, owner: Any, method: str, stage: str) -> None:
        original = getattr(owner, method)

        @functools.wraps(original)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                self.current[stage] += (time.perf_counter() - started) * 1000

        setattr(owner, method, timed)


async def _scaled_stores(data_dir: Path, scaled_dir: Path, target: int) -> KnowledgeStores:
    if not (scaled_dir / "knowledge" / "knowledge.sqlite3").exists():
        source = KnowledgeStores.open(Settings(kcp_data_dir=data_dir))  # no graph: a bench may hold it
        known = await embedded_vectors(source)
        await source.close()
        shutil.rmtree(scaled_dir, ignore_errors=True)
        shutil.copytree(data_dir / "knowledge", scaled_dir / "knowledge")
        stores = KnowledgeStores.open(Settings(kcp_data_dir=scaled_dir))
        await stores.ensure_schema()
        total, _ = await scale(stores, target, known)
        print(f"scaled to {total} passages in {scaled_dir}")
        return stores
    stores = KnowledgeStores.open(Settings(kcp_data_dir=scaled_dir))
    await stores.ensure_schema()
    return stores


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a seeded, indexed bench data folder")
    parser.add_argument("--scaled-dir", type=Path, help="where the scaled copy is kept (default: beside --data-dir)")
    parser.add_argument("--scaled", type=int, default=50_000, help="passages in the scaled corpus")
    parser.add_argument("--mode", default="hybrid+graph", choices=("keyword", "semantic", "hybrid", "hybrid+graph"))
    parser.add_argument("--questions", type=int, help="ask only about this many of the questions")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the timed retrievals here")
    arguments = parser.parse_args()
    scaled_dir = arguments.scaled_dir or arguments.data_dir.with_name(f"{arguments.data_dir.name}-scaled")
    stores = await _scaled_stores(arguments.data_dir, scaled_dir, arguments.scaled)
    asked = questions(demo.generate())
    asked = asked[:: max(1, len(asked) // (arguments.questions or len(asked)))]

    stages = _Stages()
    search = open_search(stores.relational)
    chunks = ChunkRepository(stores.relational)
    relations = RelationRepository(stores.graph)
    store = await stores.vectors.ready()
    for owner, method, stage in (
        (search, "search", "keyword leg"),
        (search, "allowed", "filter check"),
        (search, "_rarest", "  of which: terms"),  # FTS5's private steps, when it is the keyword leg
        (search, "_candidates", "  of which: ranking"),
        (chunks, "chunks", "passage reads"),
        (chunks, "chunks_of", "issue passages"),
        (chunks, "product_names", "product names"),
        (relations, "related", "graph hops"),
        (relations, "resolutions", "graph hops"),
        (relations, "linked_to_products", "graph hops"),
        (stores.vectors.embedder, "embed", "embedding"),
        (store, "search", "vector search"),
    ):
        if hasattr(owner, method):  # an older checkout may lack a method (compared side by side)
            stages.wrap(owner, method, stage)
    retriever = Retriever(search, chunks, relations, stores.vectors)
    for question, _ in asked[:5]:  # warm: the model, the SQLite page cache, the graph
        await run_mode(retriever, stores, arguments.mode, question)

    profiler = cProfile.Profile() if arguments.profile else None
    totals: list[float] = []
    per_stage: list[dict[str, float]] = []
    for question, _ in asked:
        stages.current = defaultdict(float)
        if profiler is not None:
            profiler.enable()
        started = time.perf_counter()
        await run_mode(retriever, stores, arguments.mode, question)
        totals.append((time.perf_counter() - started) * 1000)
        if profiler is not None:
            profiler.disable()
        per_stage.append(dict(stages.current))
    await stores.close()
    if profiler is not None:
        profiler.dump_stats(arguments.profile)

    slowest = sorted(range(len(totals)), key=lambda i: -totals[i])[: max(1, int(len(totals) * SLOWEST_SHARE))]
    names = sorted({name for found in per_stage for name in found}, key=lambda n: -sum(s.get(n, 0) for s in per_stage))
    print(f"{arguments.mode}: {len(asked)} questions, {arguments.scaled} passages")
    print(f"{'stage':<16}{'p50 ms':>9}{'p95 ms':>9}{'slowest 5% mean':>17}")
    for name in [*names, "rest"]:
        if name == "rest":
            values = [total - sum(found.values()) for total, found in zip(totals, per_stage, strict=True)]
        else:
            values = [found.get(name, 0.0) for found in per_stage]
        slow = sum(values[i] for i in slowest) / len(slowest)
        print(f"{name:<16}{percentile(values, 0.5):>9.1f}{percentile(values, 0.95):>9.1f}{slow:>17.1f}")
    slow_total = sum(totals[i] for i in slowest) / len(slowest)
    print(f"{'total':<16}{percentile(totals, 0.5):>9.1f}{percentile(totals, 0.95):>9.1f}{slow_total:>17.1f}")


if __name__ == "__main__":
    asyncio.run(main())
