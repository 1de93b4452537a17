"""The ``kcp`` command line: seed the stores, serve one process, or run the whole platform.

Adding a subcommand group: write ``commands/<group>.py`` with a ``register(commands)`` function
(``commands.registration.CommandGroup`` says what it does), then list the module in
``COMMAND_GROUPS`` below.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from commands import backup, dev, index, migrate, plan, schema, seed, serve
from kcp.settings import get_settings

if TYPE_CHECKING:
    from collections.abc import Sequence

    from commands.registration import CommandGroup

# The order ``kcp --help`` lists them in.
COMMAND_GROUPS: tuple[CommandGroup, ...] = (seed, index, serve, plan, schema, migrate, dev, backup)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kcp", description="Soundcore Knowledge & Content Platform")
    commands = parser.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from kcp.settings import ConfigurationError  # noqa: PLC0415
    from kcp.stores import require_embedded_stores  # noqa: PLC0415

    arguments = build_parser().parse_args(argv)
    handler: Any = arguments.handler
    if getattr(arguments, "opens_stores", True):
        try:
            require_embedded_stores(get_settings())
        except ConfigurationError as error:
            print(f"kcp {arguments.command}: {error}", file=sys.stderr)
            return 2
    return int(handler(arguments))
