"""``kcp plan``: print the query plan of an operation against a supergraph file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kcp.settings import SUPERGRAPH_FILE

if TYPE_CHECKING:
    import argparse

    from commands.registration import Subcommands


def _command_plan(arguments: argparse.Namespace) -> int:
    from router.plan_command import print_operation_plan  # noqa: PLC0415 - only this command plans

    return print_operation_plan(arguments.query, arguments.supergraph, arguments.operation_name)


def register(commands: Subcommands) -> None:
    plan = commands.add_parser("plan", help="print the query plan of an operation against a supergraph file")
    plan.add_argument("query", help="the operation, e.g. '{ products { name } }'")
    plan.add_argument("--supergraph", type=Path, default=SUPERGRAPH_FILE, help="supergraph SDL")
    plan.add_argument("--operation-name", help="which operation of the document to plan")
    plan.set_defaults(handler=_command_plan)
