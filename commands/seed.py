"""``kcp seed``: load the demo data into the configured stores, with a progress bar per step."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import TYPE_CHECKING

from commands.subgraphs import SUBGRAPHS, load
from kcp.settings import get_settings

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from rich.progress import Progress, TaskID

    from commands.registration import Subcommands
    from kcp.settings import Settings

# Seeding order: users and the catalogue first, so a reader of the log sees the base data first.
SEED_ORDER = ("auth", "knowledge", "content", "support", "analytics")


class _BarProgress:
    """Draws each subgraph's seeding steps as rich progress bars."""

    def __init__(self, progress: Progress, subgraph: str) -> None:
        self._progress = progress
        self._subgraph = subgraph
        self._task: TaskID | None = None

    def start(self, label: str, total: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._progress.tasks[self._task].total)
        self._task = self._progress.add_task(f"{self._subgraph}: {label}", total=total)

    def advance(self, units: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, units)


async def _seed(settings: Settings, only: Sequence[str]) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415

    import demo  # noqa: PLC0415 - the dataset is built only when seeding

    if "knowledge" in only:
        # Fail before writing anything when the graph is held by a running knowledge service, so
        # a refused seed leaves no subgraph half seeded.
        from kcp.stores.connect import open_graph_store  # noqa: PLC0415

        graph = open_graph_store(settings, "knowledge")
        try:
            await graph.ping()
        finally:
            await graph.close()
    started = time.perf_counter()
    data = demo.generate()
    columns = (TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=False) as progress:
        for name in only:
            await load(name).seed(settings, data, _BarProgress(progress, name))
    print(f"Seeded {', '.join(only)} into {settings.kcp_data_dir} in {time.perf_counter() - started:.1f} s")


def run_seed(settings: Settings, names: Sequence[str]) -> int:
    """Seed, turning the failures a user can fix into one line that says what to do."""
    from kcp.logging import configure_logging  # noqa: PLC0415
    from kcp.stores.graph import GraphStoreLockedError  # noqa: PLC0415

    # The progress bars tell the story; per-subgraph info events would only interleave with them.
    configure_logging("seed", level="warning", json=settings.kcp_log_json)
    try:
        asyncio.run(_seed(settings, names))
    except GraphStoreLockedError as error:
        print(f"kcp seed: {error}", file=sys.stderr)
        return 1
    return 0


def _command_seed(arguments: argparse.Namespace) -> int:
    settings = get_settings()
    only = arguments.only or list(SEED_ORDER)
    unknown = sorted(set(only) - set(SUBGRAPHS))
    if unknown:
        print(
            f"kcp seed: unknown subgraph(s) {', '.join(unknown)}; choose from {', '.join(SUBGRAPHS)}", file=sys.stderr
        )
        return 2
    return run_seed(settings, [name for name in SEED_ORDER if name in only])


def register(commands: Subcommands) -> None:
    seed = commands.add_parser("seed", help="load the demo data into the configured stores (idempotent)")
    seed.add_argument("--only", nargs="+", metavar="SUBGRAPH", help="seed only these subgraphs")
    seed.set_defaults(handler=_command_seed)
