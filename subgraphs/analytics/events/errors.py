"""Expected failures of event ingestion."""

from __future__ import annotations

from kcp.errors import KcpError


class InvalidEventError(KcpError):
    """An event that does not carry what its kind needs (code BAD_USER_INPUT)."""
