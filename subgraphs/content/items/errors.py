"""Expected failures of the content-item domain, each with its stable ``extensions.code``."""

from __future__ import annotations

from kcp.errors import ErrorCode, KcpError, NotFoundError


class ContentItemNotFoundError(NotFoundError):
    """No content item has this id."""

    def __init__(self, item_id: str) -> None:
        super().__init__(f"Content item {item_id!r} does not exist.")


class InvalidContentInputError(KcpError):
    """The input breaks a rule of the content domain (empty title, body too long, ...)."""

    code = ErrorCode.BAD_USER_INPUT


class RevisionConflictError(KcpError):
    """Another revision was appended at the same time, and retrying did not get through."""

    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, item_id: str) -> None:
        super().__init__(f"Content item {item_id!r} is being revised concurrently; try again.")
