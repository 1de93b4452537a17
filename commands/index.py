"""``kcp index``: bring the retrieval passages and their vectors up to date, with a progress bar.

Idempotent: records already indexed at their version and passages already embedded by the current
model are left alone, so a second run does nothing. A change of embedding model re-embeds all.
The logic is the knowledge subgraph's (``subgraphs.knowledge.retrieval.indexing``); this module
only opens the stores and draws the bar.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from kcp.settings import get_settings

if TYPE_CHECKING:
    import argparse

    from commands.registration import Subcommands
    from kcp.settings import Settings


async def _index(settings: Settings) -> str:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415

    from subgraphs.knowledge.retrieval.indexing import Indexer  # noqa: PLC0415 - loaded when the command runs
    from subgraphs.knowledge.retrieval.repository import ChunkRepository  # noqa: PLC0415
    from subgraphs.knowledge.stores import KnowledgeStores  # noqa: PLC0415

    stores = KnowledgeStores.open(settings)
    try:
        await stores.relational.ensure_schema()
        columns = (TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, transient=False) as progress:
            task = progress.add_task("knowledge: embedding passages", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = await Indexer(ChunkRepository(stores.relational), stores.vectors).index_all(advance)
            progress.update(task, completed=report.passages_embedded, total=report.passages_embedded)
    finally:
        await stores.close()
    return (
        f"{report.records_changed} records re-chunked, {report.records_removed} removed, "
        f"{report.passages_embedded} passages embedded with {report.model}"
    )


def _command_index(arguments: argparse.Namespace) -> int:
    del arguments
    from kcp.logging import configure_logging  # noqa: PLC0415

    settings = get_settings()
    configure_logging("index", level="warning", json=settings.kcp_log_json)
    started = time.perf_counter()
    summary = asyncio.run(_index(settings))
    print(f"Indexed into {settings.kcp_data_dir}: {summary} in {time.perf_counter() - started:.1f} s")
    return 0


def register(commands: Subcommands) -> None:
    index = commands.add_parser("index", help="chunk and embed the published knowledge for search and ask (idempotent)")
    index.set_defaults(handler=_command_index)
