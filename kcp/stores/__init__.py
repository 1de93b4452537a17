"""Store connections: each interface has an embedded default and a real-server implementation.

A store URL whose real-server implementation does not exist yet is refused at start rather than
ignored, so nobody believes their data is in a server when it is not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.settings import ConfigurationError

if TYPE_CHECKING:
    from kcp.settings import Settings

# The store variables this build cannot honour yet; each leaves the list as its server lands.
NOT_YET_SUPPORTED: tuple[str, ...] = ()


class StoreConfigurationError(ConfigurationError):
    """The configured store cannot be used by this build; the message says what to change."""


def unsupported_store_settings(settings: Settings) -> list[str]:
    """The environment variables that name a store server this build cannot talk to yet."""
    return [name for name in NOT_YET_SUPPORTED if getattr(settings, name.lower())]


def require_embedded_stores(settings: Settings) -> None:
    """Raise if a store server is configured whose implementation this build does not have."""
    names = unsupported_store_settings(settings)
    if names:
        verb, pronoun = ("is", "it") if len(names) == 1 else ("are", "them")
        msg = (
            f"{', '.join(names)} {verb} set, but this build has no implementation for that server yet "
            "(it arrives with the real-stores issue); "
            f"unset {pronoun} to use the embedded stores under KCP_DATA_DIR"
        )
        raise StoreConfigurationError(msg)
