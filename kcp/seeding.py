"""The contract between ``kcp seed`` and each subgraph's ``seed.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

T = TypeVar("T")
DEFAULT_CHUNK = 500


class SeedProgress(Protocol):
    """Progress of one subgraph's seeding, drawn as a bar by the command line."""

    def start(self, label: str, total: int) -> None:
        """Begin a step of ``total`` units (records) labelled for the reader."""

    def advance(self, units: int = 1) -> None:
        """Count ``units`` more done in the current step."""


def chunks(items: Sequence[T], size: int = DEFAULT_CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in consecutive slices of at most ``size``: one store round trip (and one
    progress step) each, so a large seed neither builds one huge statement nor looks stuck."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
