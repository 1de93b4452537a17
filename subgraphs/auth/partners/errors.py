"""Expected failures of the partners sub-domain."""

from __future__ import annotations

from kcp.errors import KcpError, NotFoundError


class PartnerNotFoundError(NotFoundError):
    def __init__(self, partner_id: str) -> None:
        super().__init__(f"No partner has the id {partner_id!r}")


class ApiKeyNotFoundError(NotFoundError):
    def __init__(self, key_id: str) -> None:
        super().__init__(f"No API key has the id {key_id!r}")


class InvalidPartnerInputError(KcpError):
    """An argument outside its bounds (code BAD_USER_INPUT)."""
