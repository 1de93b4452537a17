"""``kcp migrate``: upgrade the relational stores, check that every model change has its migration,
or write the next migration from the models."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING

from commands.subgraphs import SUBGRAPHS, service_migrations
from kcp.settings import get_settings

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from rich.progress import TaskID

    from commands.registration import Subcommands
    from kcp.settings import Settings


async def _migrate(settings: Settings, names: Sequence[str]) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # noqa: PLC0415

    from kcp.migrations import pending_revisions, upgrade  # noqa: PLC0415
    from kcp.stores.relational import open_relational_store  # noqa: PLC0415

    where = "PostgreSQL (DATABASE_URL)" if settings.database_url else f"SQLite under {settings.kcp_data_dir}"
    print(f"Migrating {where}")
    with Progress(TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn()) as progress:
        for name, migrations in service_migrations(names).items():
            store = open_relational_store(settings, name, migrations)
            try:
                pending = await pending_revisions(store.engine, migrations)
                task = progress.add_task(f"{name}: {len(pending)} to apply", total=max(len(pending), 1))

                def applied(revision: str, message: str, task: TaskID = task, name: str = name) -> None:
                    progress.update(task, advance=1, description=f"{name}: {revision} {message}"[:40])

                await upgrade(store.engine, migrations, store.schema, on_applied=applied)
                progress.update(task, completed=max(len(pending), 1), description=f"{name}: current")
            finally:
                await store.close()


async def _check_migrations(names: Sequence[str]) -> list[str]:
    from kcp.migrations import unmigrated_model_changes  # noqa: PLC0415

    stale = []
    for name, migrations in service_migrations(names).items():
        changes = await unmigrated_model_changes(migrations)
        if changes:
            stale.append(f"{name}: {len(changes)} model change(s) without a migration, e.g. {changes[0]}")
    return stale


def _write_migration(service: str | None, message: str | None) -> int:
    from kcp.migrations import write_revision  # noqa: PLC0415

    if not service or not message:
        print("kcp migrate revision: name the subgraph and the change: revision SERVICE -m MESSAGE", file=sys.stderr)
        return 2
    migrations = service_migrations([service]).get(service)
    if migrations is None:
        print(f"kcp migrate revision: {service} has no relational tables", file=sys.stderr)
        return 2
    path = asyncio.run(write_revision(migrations, message))
    print(f"wrote {path}; review it, then commit it" if path else f"{service}: the models match the newest migration")
    return 0


def _check_migration_files() -> int:
    stale = asyncio.run(_check_migrations(SUBGRAPHS))
    for line in stale:
        print(line, file=sys.stderr)
    if stale:
        print("Write the missing migrations with `kcp migrate revision SERVICE -m MESSAGE`.", file=sys.stderr)
        return 1
    print("every model change has its migration")
    return 0


def _command_migrate(arguments: argparse.Namespace) -> int:
    from kcp.migrations import MigrationError  # noqa: PLC0415
    from kcp.stores.relational import is_unreachable  # noqa: PLC0415

    if arguments.action == "revision":
        return _write_migration(arguments.service, arguments.message)
    if arguments.action == "check":
        return _check_migration_files()
    try:
        asyncio.run(_migrate(get_settings(), SUBGRAPHS))
    except MigrationError as error:
        print(f"kcp migrate: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        if not is_unreachable(error):
            raise
        print(f"kcp migrate: the database cannot be reached ({error}); is it running?", file=sys.stderr)
        return 1
    return 0


def register(commands: Subcommands) -> None:
    migrate = commands.add_parser(
        "migrate", help="upgrade the configured relational stores (or check / write migrations)"
    )
    migrate.add_argument(
        "action",
        nargs="?",
        default="upgrade",
        choices=("upgrade", "check", "revision"),
        help="upgrade (default): apply pending migrations; check: fail if a model changed without a "
        "migration; revision SERVICE -m MESSAGE: write the next migration from the models",
    )
    migrate.add_argument("service", nargs="?", choices=SUBGRAPHS, help="for revision: the subgraph")
    migrate.add_argument("-m", "--message", help="for revision: what the migration changes")
    migrate.set_defaults(handler=_command_migrate)
