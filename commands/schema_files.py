"""The committed schema files: each subgraph's SDL and the supergraph composed from them.

``kcp schema`` writes them; ``kcp schema --check`` (run by the tests) fails when a change to a
subgraph was not followed by regenerating them, so a reviewer always sees the API diff.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from commands.subgraphs import SUBGRAPHS, load
from kcp.settings import SCHEMA_DIR, SUPERGRAPH_FILE, default_service_url
from router.compose import compose

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class SchemaFile:
    path: Path
    text: str

    def is_current(self) -> bool:
        return self.path.is_file() and self.path.read_text(encoding="utf-8") == self.text


async def _service_sdls() -> dict[str, str]:
    sdls = {}
    for subgraph in SUBGRAPHS:
        result = await load(subgraph).schema.execute("{ _service { sdl } }")
        if result.errors or result.data is None:
            why = result.errors[0].message if result.errors else "no data"
            msg = f"{subgraph} could not print its SDL: {why}"
            raise RuntimeError(msg)
        sdls[subgraph] = str(result.data["_service"]["sdl"]).rstrip("\n") + "\n"
    return sdls


def local_subgraphs() -> dict[str, tuple[str, str]]:
    """Each subgraph's default routing URL and current SDL, as composition takes them."""
    return {name: (default_service_url(name), sdl) for name, sdl in asyncio.run(_service_sdls()).items()}


def expected_files(directory: Path = SCHEMA_DIR) -> list[SchemaFile]:
    """Every schema file as the code defines it now, routed to the deployment guide's local ports.

    The supergraph is byte for byte what the router writes when it composes at start-up with
    the default service URLs, so ``make dev`` leaves the committed file untouched.
    """
    routed = local_subgraphs()
    files = [SchemaFile(directory / f"{name}.graphql", sdl) for name, (_, sdl) in routed.items()]
    files.append(SchemaFile(directory / SUPERGRAPH_FILE.name, str(compose(routed))))
    return files


def stale_files(directory: Path = SCHEMA_DIR) -> list[Path]:
    """The schema files that differ from what the code defines (missing ones included)."""
    return [file.path for file in expected_files(directory) if not file.is_current()]


def write_files(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Rewrite the schema files that changed; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = []
    for file in expected_files(directory):
        if not file.is_current():
            file.path.write_text(file.text, encoding="utf-8")
            changed.append(file.path)
    return changed
