"""The contract between ``kcp seed`` and each subgraph's ``seed.py``."""

from __future__ import annotations

from typing import Protocol


class SeedProgress(Protocol):
    """Progress of one subgraph's seeding, drawn as a bar by the command line."""

    def start(self, label: str, total: int) -> None:
        """Begin a step of ``total`` units (records) labelled for the reader."""

    def advance(self, units: int = 1) -> None:
        """Count ``units`` more done in the current step."""
