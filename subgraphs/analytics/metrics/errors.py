"""Expected failures of the metrics queries."""

from __future__ import annotations

from kcp.errors import KcpError


class InvalidRangeError(KcpError):
    """A time range that ends before it starts (code BAD_USER_INPUT)."""
