"""The ``kcp`` command line: seed the stores, serve one process, or run the whole platform."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kcp.settings import SUBGRAPH_PORTS, SUBGRAPHS, get_settings

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.progress import Progress, TaskID

    from kcp.settings import Settings

# Seeding order: users and the catalogue first, so a reader of the log sees the base data first.
SEED_ORDER = ("auth", "knowledge", "content", "support", "analytics")


class _BarProgress:
    """Draws each subgraph's seeding steps as rich progress bars."""

    def __init__(self, progress: Progress, subgraph: str) -> None:
        self._progress = progress
        self._subgraph = subgraph
        self._task: TaskID | None = None

    def start(self, label: str, total: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._progress.tasks[self._task].total)
        self._task = self._progress.add_task(f"{self._subgraph}: {label}", total=total)

    def advance(self, units: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, units)


async def _seed(settings: Settings, only: Sequence[str]) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: PLC0415

    import demo  # noqa: PLC0415 - the dataset is built only when seeding

    if "knowledge" in only:
        # Fail before writing anything when the graph is held by a running knowledge service, so
        # a refused seed leaves no subgraph half seeded.
        from kcp.stores.graph import open_graph_store  # noqa: PLC0415

        graph = open_graph_store(settings, "knowledge")
        try:
            await graph.ping()
        finally:
            await graph.close()
    started = time.perf_counter()
    data = demo.generate()
    columns = (TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=False) as progress:
        for name in only:
            module: Any = importlib.import_module(f"subgraphs.{name}.seed")
            await module.seed(settings, data, _BarProgress(progress, name))
    print(f"Seeded {', '.join(only)} into {settings.kcp_data_dir} in {time.perf_counter() - started:.1f} s")


def _run_seed(settings: Settings, names: Sequence[str]) -> int:
    """Seed, turning the failures a user can fix into one line that says what to do."""
    from kcp.logging import configure_logging  # noqa: PLC0415
    from kcp.stores.graph import GraphStoreLockedError  # noqa: PLC0415

    # The progress bars tell the story; per-subgraph info events would only interleave with them.
    configure_logging("seed", level="warning", json=settings.kcp_log_json)
    try:
        asyncio.run(_seed(settings, names))
    except GraphStoreLockedError as error:
        print(f"kcp seed: {error}", file=sys.stderr)
        return 1
    return 0


def _command_seed(arguments: argparse.Namespace) -> int:
    settings = get_settings()
    only = arguments.only or list(SEED_ORDER)
    unknown = sorted(set(only) - set(SUBGRAPHS))
    if unknown:
        print(
            f"kcp seed: unknown subgraph(s) {', '.join(unknown)}; choose from {', '.join(SUBGRAPHS)}", file=sys.stderr
        )
        return 2
    return _run_seed(settings, [name for name in SEED_ORDER if name in only])


def _command_serve(arguments: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415

    from kcp.logging import configure_logging  # noqa: PLC0415

    settings = get_settings()
    configure_logging(arguments.subgraph, level=settings.kcp_log_level, json=settings.kcp_log_json)
    uvicorn.run(
        f"subgraphs.{arguments.subgraph}.app:create_app",
        factory=True,
        host=settings.kcp_host,
        port=arguments.port or SUBGRAPH_PORTS[arguments.subgraph],
        log_level="warning",
        access_log=False,
        log_config=None,  # uvicorn's loggers propagate to the root handler configure_logging set up
    )
    return 0


def _command_router(arguments: argparse.Namespace) -> int:
    from router.app import run  # noqa: PLC0415 - only the router process loads the router

    settings = get_settings()
    if arguments.port is not None:
        settings = settings.model_copy(update={"kcp_router_port": arguments.port})
    run(settings, supergraph_path=arguments.supergraph, supergraph_output=arguments.write_supergraph)
    return 0


def _command_plan(arguments: argparse.Namespace) -> int:
    from router.plan_command import print_operation_plan  # noqa: PLC0415 - only this command plans

    return print_operation_plan(arguments.query, arguments.supergraph, arguments.operation_name)


def _command_schema(arguments: argparse.Namespace) -> int:
    from kcp import schema_files  # noqa: PLC0415 - loads every subgraph's schema and the composer

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
    from kcp.schema_files import PERSISTED_DIR, SUPERGRAPH_FILE  # noqa: PLC0415
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


async def _migrate(settings: Settings, names: Sequence[str]) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # noqa: PLC0415

    from kcp.migrations import pending_revisions, service_migrations, upgrade  # noqa: PLC0415
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
    from kcp.migrations import service_migrations, unmigrated_model_changes  # noqa: PLC0415

    stale = []
    for name, migrations in service_migrations(names).items():
        changes = await unmigrated_model_changes(migrations)
        if changes:
            stale.append(f"{name}: {len(changes)} model change(s) without a migration, e.g. {changes[0]}")
    return stale


def _write_migration(service: str | None, message: str | None) -> int:
    from kcp.migrations import service_migrations, write_revision  # noqa: PLC0415

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


def _command_dev(arguments: argparse.Namespace) -> int:
    from kcp.launcher import LaunchError, start_platform  # noqa: PLC0415
    from kcp.schema_files import SUPERGRAPH_FILE  # noqa: PLC0415

    settings = get_settings()
    if not arguments.no_seed and (failed := _run_seed(settings, SEED_ORDER)):
        return failed
    log_dir = settings.kcp_data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    print(f"Starting the five subgraphs and the router (logs in {log_dir}) ...")
    try:
        platform = start_platform(host=settings.kcp_host, log_dir=log_dir, supergraph_out=SUPERGRAPH_FILE)
    except LaunchError as error:
        print(f"kcp dev: {error}", file=sys.stderr)
        return 1
    print(
        "\nSoundcore KCP is up.\n"
        f"  GraphiQL:  {platform.router_url}\n"
        + "".join(f"  {name:<10} {platform.url(name)}/graphql\n" for name in SUBGRAPHS)
        + "  Demo logins: admin@, editor@, agent@, analyst@, partner@, customer@soundcore.example"
        " (password soundcore-demo)\n"
        "Press Ctrl-C to stop everything."
    )
    stopping = False

    def request_stop(_signal: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    # A process that dies is reported once and the others keep running: the router answers
    # without a missing subgraph (partial data and an error naming it), which is worth seeing.
    reported: set[str] = set()
    try:
        while not stopping:
            for name, code in platform.exited():
                if name not in reported:
                    reported.add(name)
                    log = log_dir / f"{name}.log"
                    print(
                        f"kcp dev: {name} exited with code {code} (see {log}); the others keep running", file=sys.stderr
                    )
            if len(reported) == len(platform.processes):
                print("kcp dev: every process has exited", file=sys.stderr)
                return 1
            time.sleep(0.5)
    finally:
        print("\nStopping ...")
        platform.stop()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kcp", description="Soundcore Knowledge & Content Platform")
    commands = parser.add_subparsers(dest="command", required=True)

    seed = commands.add_parser("seed", help="load the demo data into the configured stores (idempotent)")
    seed.add_argument("--only", nargs="+", metavar="SUBGRAPH", help="seed only these subgraphs")
    seed.set_defaults(handler=_command_seed)

    serve = commands.add_parser("serve", help="serve one subgraph")
    serve.add_argument("subgraph", choices=SUBGRAPHS)
    serve.add_argument("--port", type=int, help="default: the deployment guide's port (8001-8005)")
    serve.set_defaults(handler=_command_serve)

    router = commands.add_parser("router", help="serve the federation router on KCP_ROUTER_PORT (4000)")
    router.add_argument("--supergraph", type=Path, help="load this supergraph SDL instead of composing one")
    router.add_argument("--write-supergraph", type=Path, help="where to write the composed supergraph SDL")
    router.add_argument("--port", type=int, help="default: KCP_ROUTER_PORT (4000)")
    router.set_defaults(handler=_command_router)

    plan = commands.add_parser("plan", help="print the query plan of an operation against a supergraph file")
    plan.add_argument("query", help="the operation, e.g. '{ products { name } }'")
    plan.add_argument("--supergraph", type=Path, default=Path("schema/supergraph.graphql"), help="supergraph SDL")
    plan.add_argument("--operation-name", help="which operation of the document to plan")
    plan.set_defaults(handler=_command_plan)

    schema = commands.add_parser("schema", help="write schema/: each subgraph's SDL and the composed supergraph")
    schema.add_argument("--check", action="store_true", help="only report stale files (exit 1 if any)")
    schema.set_defaults(handler=_command_schema)

    persisted = commands.add_parser("persisted", help="trusted documents: build or check schema/persisted/*.json")
    persisted.add_argument("action", choices=("build", "check"))
    persisted.set_defaults(handler=_command_persisted)

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

    dev = commands.add_parser("dev", help="seed, then run every subgraph and the router until Ctrl-C")
    dev.add_argument("--no-seed", action="store_true", help="skip seeding")
    dev.set_defaults(handler=_command_dev)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from kcp.stores import StoreConfigurationError, require_embedded_stores  # noqa: PLC0415

    arguments = build_parser().parse_args(argv)
    handler: Any = arguments.handler
    if arguments.command not in {"schema", "persisted"}:
        try:
            require_embedded_stores(get_settings())
        except StoreConfigurationError as error:
            print(f"kcp {arguments.command}: {error}", file=sys.stderr)
            return 2
    return int(handler(arguments))
