"""Expected failures of the users sub-domain."""

from __future__ import annotations

from kcp.errors import KcpError, NotFoundError


class InvalidUserInputError(KcpError):
    """An argument outside its bounds, or a change the rules do not allow (code BAD_USER_INPUT)."""


class UserNotFoundError(NotFoundError):
    def __init__(self, user_id: str) -> None:
        super().__init__(f"No user has the id {user_id!r}")
