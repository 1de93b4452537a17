"""Store connections: each interface has an embedded default and a real-server implementation.

So far only the embedded implementations exist. A real-store URL in the environment is refused
at start rather than ignored, so nobody believes their data is in PostgreSQL when it is not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kcp.settings import Settings


class StoreConfigurationError(RuntimeError):
    """The configured store cannot be used by this build; the message says what to change."""


def unsupported_store_settings(settings: Settings) -> list[str]:
    """The environment variables that name a store server this build cannot talk to yet."""
    configured = {
        "DATABASE_URL": settings.database_url,
        "MONGODB_URI": settings.mongodb_uri,
        "NEO4J_URI": settings.neo4j_uri,
        "REDIS_URL": settings.redis_url,
    }
    return [name for name, value in configured.items() if value]


def require_embedded_stores(settings: Settings) -> None:
    """Raise unless every store is the embedded one (real servers arrive with the real-stores issue)."""
    names = unsupported_store_settings(settings)
    if names:
        verb, pronoun = ("is", "it") if len(names) == 1 else ("are", "them")
        msg = (
            f"{', '.join(names)} {verb} set, but this build runs only on its embedded stores (real "
            "PostgreSQL, MongoDB, Neo4j and Redis arrive with the real-stores issue); "
            f"unset {pronoun} to use the embedded stores under KCP_DATA_DIR"
        )
        raise StoreConfigurationError(msg)
