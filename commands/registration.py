"""What a subcommand group module offers the ``kcp`` parser: a ``register`` function."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import argparse
    from typing import TypeAlias

    # argparse names the type of ``add_subparsers()``'s result only privately.
    Subcommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]  # noqa: SLF001


class CommandGroup(Protocol):
    """A module that adds one or more subcommands to ``kcp``.

    ``register`` adds the parsers and sets ``handler`` on each (parsed arguments in, exit code
    out); a command that opens no store also sets ``opens_stores=False``, so it runs even while
    the store settings are unusable.
    """

    def register(self, commands: Subcommands) -> None: ...
