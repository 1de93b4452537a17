"""A refused request: its GraphQL errors, HTTP status and headers; and how an error is written.

Every edge check raises ``Refusal``; the router turns it into its own ``RouterError`` (a
subclass), a subgraph writes it as the response directly (``kcp.service``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.errors import ErrorCode


def build_error(
    message: str,
    code: ErrorCode,
    path: Sequence[str | int] | None = None,
    /,
    **extensions: object,
) -> dict[str, Any]:
    """A GraphQL error as JSON: its message, its path when it has one, and a stable ``extensions.code``."""
    built: dict[str, Any] = {"message": message}
    if path is not None:
        built["path"] = list(path)
    built["extensions"] = {"code": str(code), **extensions}
    return built


class Refusal(Exception):  # noqa: N818 - a refusal is what it is, not an "error" of ours
    """A request refused before any work: ``errors`` is the response's error list, ``status`` its HTTP status."""

    def __init__(
        self, errors: list[dict[str, Any]], status: int = 400, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(errors[0]["message"] if errors else "bad request")
        self.errors = errors
        self.status = status
        self.headers = headers

    @classmethod
    def bad_request(cls, message: str, code: ErrorCode, *, status: int = 400, **extensions: object) -> Refusal:
        return cls([build_error(message, code, **extensions)], status)

    @property
    def code(self) -> str | None:
        """The first error's code: what the refusal is, for logs and metrics."""
        if not self.errors:
            return None
        extensions = self.errors[0].get("extensions")
        return extensions.get("code") if isinstance(extensions, dict) else None
