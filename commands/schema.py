"""``kcp schema`` and ``kcp persisted``: the committed schema files and trusted-document manifests."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from kcp.settings import PERSISTED_DIR, SUPERGRAPH_FILE

if TYPE_CHECKING:
    import argparse

    from commands.registration import Subcommands


def _command_schema(arguments: argparse.Namespace) -> int:
    from commands import schema_files  # noqa: PLC0415 - loads every subgraph's schema and the composer

    if arguments.check:
        stale = schema_files.stale_files()
        for path in stale:
            print(f"stale: {path}", file=sys.stderr)
        if stale:
            print("The schema files do not match the code; run `kcp schema` and commit them.", file=sys.stderr)
            return 1
        print("schema files are current")
        return 0
    changed = schema_files.write_files()
    print("\n".join(f"wrote {path}" for path in changed) or "schema files are current")
    return 0


def _command_persisted(arguments: argparse.Namespace) -> int:
    # Only the manifests' own code and the router's supergraph loader are needed here.
    from router.persisted.manifest import ManifestError, manifest_problems, write_manifests  # noqa: PLC0415
    from router.supergraph import load_supergraph_file  # noqa: PLC0415

    try:
        if arguments.action == "build":
            written = write_manifests(PERSISTED_DIR)
            print("\n".join(f"wrote {path}" for path in written) or f"no client folders in {PERSISTED_DIR}")
            return 0
        problems = manifest_problems(PERSISTED_DIR, load_supergraph_file(SUPERGRAPH_FILE).api_schema)
    except ManifestError as error:
        print(f"kcp persisted: {error}", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print("persisted documents are current and valid against the supergraph")
    return 0


def register(commands: Subcommands) -> None:
    # Neither command opens a store, so neither needs the store configuration to be usable.
    schema = commands.add_parser("schema", help="write schema/: each subgraph's SDL and the composed supergraph")
    schema.add_argument("--check", action="store_true", help="only report stale files (exit 1 if any)")
    schema.set_defaults(handler=_command_schema, opens_stores=False)

    persisted = commands.add_parser("persisted", help="trusted documents: build or check schema/persisted/*.json")
    persisted.add_argument("action", choices=("build", "check"))
    persisted.set_defaults(handler=_command_persisted, opens_stores=False)
