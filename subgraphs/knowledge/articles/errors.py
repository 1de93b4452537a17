"""Expected failures of article queries and mutations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.errors import ErrorCode, KcpError, NotFoundError

if TYPE_CHECKING:
    from subgraphs.knowledge.articles.workflow import Status


class ArticleNotFoundError(NotFoundError):
    def __init__(self, article_id: str) -> None:
        super().__init__(f"No article with id {article_id!r}.")


class InvalidArticleError(KcpError):
    """A field of an article input is missing, empty, too long or taken."""

    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"`{field}` {problem}")
        self.extensions["field"] = field


class IllegalTransitionError(KcpError):
    """The article cannot move from its status to the one asked for."""

    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, current: Status, target: Status, allowed: list[Status]) -> None:
        shown = ", ".join(status.name for status in allowed) or "nothing"
        super().__init__(f"An article cannot move from {current.name} to {target.name}; from {current.name}: {shown}.")
        self.extensions.update({"reason": "ILLEGAL_TRANSITION", "from": current.name, "to": target.name})


class ArchivedArticleError(KcpError):
    code = ErrorCode.BAD_USER_INPUT

    def __init__(self) -> None:
        super().__init__("An archived article cannot be edited; move it back to DRAFT first.")
        self.extensions["reason"] = "ARCHIVED"


class StaleVersionError(KcpError):
    """Someone else saved a version since the editor loaded the article."""

    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, expected: int, current: int) -> None:
        super().__init__(
            f"The article is at version {current}, not {expected}: reload it and apply your changes again."
        )
        self.extensions.update({"reason": "STALE_VERSION", "currentVersion": current})


class ConcurrentChangeError(KcpError):
    """Another save of the same article (or slug) committed first."""

    code = ErrorCode.BAD_USER_INPUT

    def __init__(self) -> None:
        super().__init__("Someone saved this article (or took this slug) at the same moment: reload it and try again.")
        self.extensions["reason"] = "CONFLICT"
