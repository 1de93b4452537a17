"""Expected failures of the content-item domain, each with its stable ``extensions.code``."""

from __future__ import annotations

from kcp.errors import ErrorCode, KcpError, NotFoundError


class ContentItemNotFoundError(NotFoundError):
    """No content item has this id (or the caller may not see it)."""

    def __init__(self, item_id: str) -> None:
        super().__init__(f"Content item {item_id!r} does not exist.")


class RevisionNotFoundError(NotFoundError):
    def __init__(self, item_id: str, number: int) -> None:
        super().__init__(f"Content item {item_id!r} has no revision {number}.")


class InvalidContentInputError(KcpError):
    """The input breaks a rule of the content domain (empty title, body too long, ...)."""

    code = ErrorCode.BAD_USER_INPUT


class ConcurrentChangeError(KcpError):
    """Another writer changed the item at the same time, and retrying did not get through."""

    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, item_id: str) -> None:
        super().__init__(f"Content item {item_id!r} is being changed concurrently; try again.")
