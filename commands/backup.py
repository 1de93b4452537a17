"""``kcp backup``, ``kcp restore`` and ``kcp drill``: the composition root of ``kcp.backup``.

It decides which stores this deployment has (from the settings, as the services do) and hands
them to the store-generic code; it also knows how to seed scratch stores for the drill. Kept out
registered by ``commands/cli.py`` like every other command group: ``register`` adds the three
commands to its parser.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import subprocess
import sys
import tempfile
import uuid
from typing import TYPE_CHECKING, Any

from commands.subgraphs import SUBGRAPHS, service_migrations
from kcp.settings import get_settings

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

    from rich.progress import Progress, TaskID

    from commands.registration import Subcommands
    from kcp.backup.store import StoreBackup
    from kcp.settings import Settings

# Which services keep which kind of store (relational ones are those with migrations).
DOCUMENT_SERVICES = ("content", "support")
GRAPH_SERVICES = ("knowledge",)
DRILL_BUCKET = "kcp-drill"


def relational_services() -> list[str]:
    return list(service_migrations(SUBGRAPHS))


def known_revisions() -> dict[str, list[str]]:
    """Every Alembic revision this code has, per service: a backup at another one is from a newer release."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    from kcp.migrations import alembic_config  # noqa: PLC0415

    return {
        name: [revision.revision for revision in ScriptDirectory.from_config(alembic_config(m)).walk_revisions()]
        for name, m in service_migrations(SUBGRAPHS).items()
    }


def deployment_stores(settings: Settings) -> list[StoreBackup]:
    """Every store the deployment's settings make the services use, in restore order."""
    from kcp.backup.embedded import EmbeddedGraphBackup, SqliteFileBackup  # noqa: PLC0415
    from kcp.backup.servers import MongoBackup, Neo4jBackup, PostgresBackup  # noqa: PLC0415

    stores: list[StoreBackup] = []
    relational = relational_services()
    data = settings.kcp_data_dir
    if settings.database_url:
        stores.append(PostgresBackup(settings.database_url, relational))
    else:
        stores += [
            SqliteFileBackup(f"{s}.relational", data / s / f"{s}.sqlite3", migrated_service=s) for s in relational
        ]
    if settings.mongodb_uri:
        from pymongo.uri_parser import parse_uri  # noqa: PLC0415

        named = parse_uri(settings.mongodb_uri).get("database")
        stores.append(MongoBackup(settings.mongodb_uri, [named or f"kcp_{s}" for s in DOCUMENT_SERVICES]))
    else:
        stores += [SqliteFileBackup(f"{s}.documents", data / s / f"{s}-documents.sqlite3") for s in DOCUMENT_SERVICES]
    if settings.neo4j_uri:
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        stores.append(Neo4jBackup(settings.neo4j_uri, settings.neo4j_user, password))
    else:
        stores += [EmbeddedGraphBackup(f"{s}.graph", data / s / "graph.lbug") for s in GRAPH_SERVICES]
    return stores


def _progress() -> Progress:
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description:<44}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=False
    )


def _bucket(settings: Settings, name: str | None = None) -> Any:
    from kcp.backup import BackupError  # noqa: PLC0415
    from kcp.backup.bucket import BackupBucket  # noqa: PLC0415

    bucket = name or settings.s3_backup_bucket
    if not bucket:
        msg = "S3_BACKUP_BUCKET is not set: name the bucket backups go to (and S3_ENDPOINT_URL for non-AWS S3)"
        raise BackupError(msg)
    return BackupBucket(bucket, endpoint_url=settings.s3_endpoint_url)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _command_backup(arguments: argparse.Namespace) -> int:
    from kcp.backup.run import backup, list_backups  # noqa: PLC0415

    settings = get_settings()
    bucket = _bucket(settings)
    if arguments.list:
        for manifest in list_backups(bucket):
            names = ", ".join(entry.name for entry in manifest.stores)
            print(f"{manifest.backup_id}  {_megabytes(manifest.size):>9}  {manifest.record_count:>9} records  {names}")
        return 0
    stores = deployment_stores(settings)
    keep = settings.kcp_backup_keep if arguments.keep is None else arguments.keep
    if arguments.dry_run:
        bucket.check()
        print(f"would back up to {bucket.where} (keeping the {keep} newest):")
        for store in stores:
            records = sum(r.count for r in store.fingerprint().values())
            print(f"  {store.name:<24} {store.kind:<11} {store.version():<28} {records:>9} records")
        return 0
    with _progress() as progress:
        result = backup(stores, bucket, progress, keep=keep)
    manifest = result.manifest
    print(
        f"backup {manifest.backup_id}: {len(manifest.stores)} stores, {manifest.record_count} records, "
        f"{_megabytes(manifest.size)} to {bucket.where} in {result.seconds:.1f} s"
        + (f"; expired {len(result.removed)} old backup(s)" if result.removed else "")
    )
    return 0


def _command_restore(arguments: argparse.Namespace) -> int:
    from kcp.backup.run import restore  # noqa: PLC0415

    settings = get_settings()
    bucket = _bucket(settings)
    with _progress() as progress:
        manifest, seconds = restore(
            deployment_stores(settings),
            bucket,
            progress,
            backup_id=arguments.backup_id,
            known_revisions=known_revisions(),
            force=arguments.force,
            dry_run=arguments.dry_run,
        )
    verb = "would restore" if arguments.dry_run else "restored"
    print(
        f"{verb} backup {manifest.backup_id} ({manifest.record_count} records, {_megabytes(manifest.size)}) "
        f"into {', '.join(entry.name for entry in manifest.stores)} in {seconds:.1f} s"
        + ("; checksums, schema and artifacts verified, nothing written" if arguments.dry_run else "")
    )
    return 0


@contextlib.contextmanager
def _scratch_stores(settings: Settings, *, force: bool) -> Iterator[dict[str, str]]:
    """Environment variables for stores the drill may seed and wipe: a temporary data folder, a
    fresh PostgreSQL database and MongoDB database on the configured servers; Neo4j (one database
    per server in Community) only when empty or forced."""
    from kcp.backup import BackupError  # noqa: PLC0415

    name = f"kcp_drill_{uuid.uuid4().hex[:10]}"
    with tempfile.TemporaryDirectory(prefix="kcp-drill-") as data_dir:
        environment = {"KCP_DATA_DIR": data_dir}
        if settings.neo4j_uri:
            from kcp.backup.servers import Neo4jBackup  # noqa: PLC0415

            password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
            if Neo4jBackup(settings.neo4j_uri, settings.neo4j_user, password).holds_data() and not force:
                msg = (
                    f"the Neo4j at {settings.neo4j_uri} holds data and the drill wipes it (Community Edition has one "
                    "database); point NEO4J_URI at a scratch server or run with --force"
                )
                raise BackupError(msg)
        if settings.database_url:
            environment["DATABASE_URL"] = _postgres_database(settings.database_url, name, create=True)
        if settings.mongodb_uri:
            from urllib.parse import urlsplit, urlunsplit  # noqa: PLC0415

            parts = urlsplit(settings.mongodb_uri)
            environment["MONGODB_URI"] = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
        try:
            yield environment
        finally:
            if settings.database_url:
                _postgres_database(settings.database_url, name, create=False)
            if settings.mongodb_uri:
                from pymongo import MongoClient  # noqa: PLC0415

                client: MongoClient[dict[str, Any]] = MongoClient(settings.mongodb_uri, serverSelectionTimeoutMS=5000)
                with client:
                    client.drop_database(name)


def _postgres_database(url: str, name: str, *, create: bool) -> str:
    import asyncpg  # noqa: PLC0415
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    parsed = make_url(url)

    async def run() -> None:
        connection = await asyncpg.connect(
            host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password, database="postgres"
        )
        try:
            statement = f'CREATE DATABASE "{name}"' if create else f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())
    return parsed.set(database=name).render_as_string(hide_password=False)


def _seed(environment: dict[str, str]) -> None:
    from kcp.backup import BackupError  # noqa: PLC0415

    print("drill: seeding the demo data into scratch stores")
    completed = subprocess.run(
        [sys.executable, "-m", "commands", "seed"], env={**os.environ, **environment}, check=False
    )
    if completed.returncode != 0:
        msg = f"seeding the scratch stores failed (exit {completed.returncode}, see above)"
        raise BackupError(msg)


def _advance_to(progress: Progress, task: TaskID, done: int, _total: int) -> None:
    progress.update(task, completed=done)


def _command_drill(arguments: argparse.Namespace) -> int:
    from kcp.backup.ballast import add_ballast  # noqa: PLC0415
    from kcp.backup.drill import LocalS3, run_drill  # noqa: PLC0415

    configured = get_settings()
    with _scratch_stores(configured, force=arguments.force) as environment, contextlib.ExitStack() as stack:
        os.environ.update(environment)
        get_settings.cache_clear()
        settings = get_settings()
        if settings.s3_endpoint_url or settings.s3_backup_bucket:
            bucket = _bucket(settings, settings.s3_backup_bucket or DRILL_BUCKET)
        else:
            local = stack.enter_context(LocalS3())
            os.environ.update(LocalS3.credentials())
            print(f"drill: no S3 endpoint configured; using a local S3-compatible server (moto) at {local.url}")
            from kcp.backup.bucket import BackupBucket  # noqa: PLC0415

            bucket = BackupBucket(DRILL_BUCKET, endpoint_url=local.url)
            bucket.create()
        bucket.prefix = f"kcp-drill/{uuid.uuid4().hex[:8]}/"
        _seed(environment)
        stores = deployment_stores(settings)
        with _progress() as progress:
            if arguments.scale > 1:
                for store in stores:
                    count = sum(r.count for r in store.fingerprint().values()) * (arguments.scale - 1)
                    task = progress.add_task(f"generate {store.name} x{arguments.scale}", total=count)
                    add_ballast(store, count, functools.partial(_advance_to, progress, task))
            report = run_drill(stores, bucket, progress, known_revisions=known_revisions())
        if not arguments.keep_backup:
            bucket.delete_backup_prefix()
    for outcome in report.stores:
        print(f"  {outcome.name:<24} {outcome.records:>9} records  {outcome.mismatches} mismatches")
    print(f"backup size {_megabytes(report.backup_bytes)}")
    print(report.last_line())
    return 1 if report.mismatches else 0


def _handled(handler: Any, command: str) -> Any:
    """Run ``handler``, turning a ``BackupError`` into its one line and exit code 1."""

    def run(arguments: argparse.Namespace) -> int:
        from kcp.backup import BackupError  # noqa: PLC0415
        from kcp.logging import configure_logging  # noqa: PLC0415

        # The progress bars and the summary tell the story; info events would interleave with them.
        configure_logging(command, level="warning", json=get_settings().kcp_log_json)

        try:
            return int(handler(arguments))
        except BackupError as error:
            print(f"kcp {command}: {error}", file=sys.stderr)
            return 1

    return run


def register(commands: Subcommands) -> None:
    """Add ``backup``, ``restore`` and ``drill`` to the ``kcp`` command line's subparsers."""
    backup = commands.add_parser("backup", help="back up every store to S3_BACKUP_BUCKET (manifest, checksums)")
    backup.add_argument("--dry-run", action="store_true", help="show what would be backed up; upload nothing")
    backup.add_argument("--list", action="store_true", help="list the complete backups in the bucket, newest first")
    backup.add_argument(
        # Read at run time, not here: building the parser must not load (and fail on) the settings.
        "--keep",
        type=int,
        default=None,
        help="keep this many newest backups (default: KCP_BACKUP_KEEP)",
    )
    backup.set_defaults(handler=_handled(_command_backup, "backup"))

    restore = commands.add_parser("restore", help="restore a backup into the configured stores (all checked first)")
    restore.add_argument(
        "backup_id", nargs="?", default="latest", help="a backup id from `kcp backup --list` (default: latest)"
    )
    restore.add_argument("--force", action="store_true", help="replace stores that already hold data")
    restore.add_argument("--dry-run", action="store_true", help="download and verify everything; write nothing")
    restore.set_defaults(handler=_handled(_command_restore, "restore"))

    drill = commands.add_parser("drill", help="seed scratch stores, back up, wipe, restore, compare every record")
    drill.add_argument("--scale", type=int, default=1, help="add generated records: N times the demo data")
    drill.add_argument("--force", action="store_true", help="allow wiping a Neo4j that holds data")
    drill.add_argument("--keep-backup", action="store_true", help="leave the drill's backup in the bucket")
    drill.set_defaults(handler=_handled(_command_drill, "drill"))
