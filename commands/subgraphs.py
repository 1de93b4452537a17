"""The five subgraphs the platform runs, and what the command line needs of each.

A subgraph is imported only when a command needs it, so ``kcp serve auth`` and ``kcp router``
load no other subgraph's schema; the imports are still plain statements, visible to readers and
to the import checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

    from starlette.applications import Starlette
    from strawberry.federation import Schema

    from demo import DemoData
    from kcp.migrations import Migrations
    from kcp.seeding import SeedProgress
    from kcp.settings import Settings

    Seeder = Callable[[Settings, DemoData, SeedProgress], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Subgraph:
    """What the command line takes from one subgraph package."""

    create_app: Callable[[], Starlette]
    schema: Schema
    seed: Seeder
    # Alembic history of its relational tables; None for a subgraph with documents only.
    migrations: Migrations | None


def _knowledge() -> Subgraph:
    from subgraphs.knowledge import app, schema, seed, stores  # noqa: PLC0415 - loaded when a command needs it

    return Subgraph(app.create_app, schema.schema, seed.seed, stores.MIGRATIONS)


def _content() -> Subgraph:
    from subgraphs.content import app, schema, seed  # noqa: PLC0415 - loaded when a command needs it

    return Subgraph(app.create_app, schema.schema, seed.seed, None)


def _support() -> Subgraph:
    from subgraphs.support import app, schema, seed, stores  # noqa: PLC0415 - loaded when a command needs it

    return Subgraph(app.create_app, schema.schema, seed.seed, stores.MIGRATIONS)


def _analytics() -> Subgraph:
    from subgraphs.analytics import app, schema, seed, stores  # noqa: PLC0415 - loaded when a command needs it

    return Subgraph(app.create_app, schema.schema, seed.seed, stores.MIGRATIONS)


def _auth() -> Subgraph:
    from subgraphs.auth import app, schema, seed, stores  # noqa: PLC0415 - loaded when a command needs it

    return Subgraph(app.create_app, schema.schema, seed.seed, stores.MIGRATIONS)


# One entry per subgraph package; kcp.settings.SUBGRAPH_PORTS holds the same names with their ports.
_LOADERS: dict[str, Callable[[], Subgraph]] = {
    "knowledge": _knowledge,
    "content": _content,
    "support": _support,
    "analytics": _analytics,
    "auth": _auth,
}

# In the deployment guide's port order (8001-8005), which is also the order they start in.
SUBGRAPHS: tuple[str, ...] = tuple(_LOADERS)


def load(name: str) -> Subgraph:
    """The named subgraph's parts; a ``KeyError`` for a name that is not one of ``SUBGRAPHS``."""
    return _LOADERS[name]()


def service_migrations(names: Sequence[str]) -> dict[str, Migrations]:
    """The migration histories of the named subgraphs that have relational tables."""
    found: dict[str, Migrations] = {}
    for name in names:
        migrations = load(name).migrations
        if migrations is not None:
            found[name] = migrations
    return found
