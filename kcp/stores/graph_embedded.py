"""The embedded knowledge-graph store: a ladybug database in the service's data folder.

ladybug (the maintained fork of Kuzu) runs Cypher in-process with parameters and
variable-length paths. Its Python API is synchronous and a connection is not safe to share
between threads, so every query runs on one dedicated worker thread.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from kcp.stores.graph import GraphStoreLockedError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from kcp.stores.graph import GraphDialect, Row


class EmbeddedGraphStore:
    """A ladybug database in the service's data folder."""

    dialect: GraphDialect = "kuzu"  # ladybug is Kuzu's fork and speaks its Cypher

    def __init__(self, path: str) -> None:
        self._path = path
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graph")
        self._database: Any = None
        self._connection: Any = None

    def _connect(self) -> Any:
        if self._connection is None:
            import ladybug  # noqa: PLC0415 - the engine loads only in the process that owns the graph

            try:
                self._database = ladybug.Database(self._path)
            except RuntimeError as error:
                if "lock" not in str(error).lower():
                    raise
                msg = (
                    f"the knowledge graph {self._path} is open in another process (a running knowledge "
                    "service or `kcp dev`?); stop it and try again"
                )
                raise GraphStoreLockedError(msg) from error
            self._connection = ladybug.Connection(self._database)
        return self._connection

    def _run_sync(self, cypher: str, parameters: Mapping[str, Any] | None) -> list[Row]:
        connection = self._connect()
        result = connection.execute(cypher, dict(parameters or {}))
        columns: Sequence[str] = result.get_column_names()
        rows: list[Row] = []
        while result.has_next():
            rows.append(dict(zip(columns, result.get_next(), strict=True)))
        return rows

    async def run(self, cypher: str, parameters: Mapping[str, Any] | None = None) -> list[Row]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, self._run_sync, cypher, parameters)

    async def ping(self) -> None:
        await self.run("RETURN 1 AS ok")

    def _close_sync(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._database.close()
        self._connection = None
        self._database = None

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._worker, self._close_sync)
        self._worker.shutdown(wait=True)
