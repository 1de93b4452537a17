"""Expected failures of searches."""

from __future__ import annotations

from kcp.errors import ErrorCode, KcpError

MAX_QUERY_LENGTH = 200


class InvalidSearchQueryError(KcpError):
    """The search text has no word in it or is too long."""

    code = ErrorCode.BAD_USER_INPUT

    @classmethod
    def empty(cls) -> InvalidSearchQueryError:
        return cls("`query` must contain at least one word.")

    @classmethod
    def too_long(cls, length: int) -> InvalidSearchQueryError:
        return cls(f"`query` must be at most {MAX_QUERY_LENGTH} characters, got {length}.")
