"""The review workflow of a content item, in one place: which moves exist and who may make them.

    draft ──submit──▶ in_review ──approve──▶ approved ──publish──▶ published
      ▲                   │                     │                      │
      └──request changes──┴─────────────────────┘                      │
      └──────────────────────── unpublish ─────────────────────────────┘

Writers (content:write) submit; reviewers (content:review) approve, send back, publish and
unpublish. Revising an item that is past draft returns it to draft: what was approved is the
text that was read, not the one written since.
"""

from __future__ import annotations

from kcp.errors import ErrorCode, KcpError
from subgraphs.content.scopes import CONTENT_REVIEW, CONTENT_WRITE

DRAFT, IN_REVIEW, APPROVED, PUBLISHED = "draft", "in_review", "approved", "published"
STATUSES = (DRAFT, IN_REVIEW, APPROVED, PUBLISHED)

MOVES: dict[tuple[str, str], str] = {
    (DRAFT, IN_REVIEW): CONTENT_WRITE,
    (IN_REVIEW, APPROVED): CONTENT_REVIEW,
    (IN_REVIEW, DRAFT): CONTENT_REVIEW,
    (APPROVED, DRAFT): CONTENT_REVIEW,
    (APPROVED, PUBLISHED): CONTENT_REVIEW,
    (PUBLISHED, DRAFT): CONTENT_REVIEW,
}
"""(from, to) → the scope the move needs; a pair not listed is illegal."""


class IllegalTransitionError(KcpError):
    """A move the workflow does not have; ``extensions`` name both ends."""

    code = ErrorCode.ILLEGAL_TRANSITION

    def __init__(self, current: str, target: str) -> None:
        allowed = sorted(to for (frm, to) in MOVES if frm == current)
        super().__init__(
            f"A content item cannot move from {current} to {target}; from {current} it can move to "
            f"{', '.join(allowed) or 'nothing'}."
        )
        self.extensions.update({"from": current.upper(), "to": target.upper()})


def scope_for(current: str, target: str) -> str:
    """The scope moving from ``current`` to ``target`` needs, or ``IllegalTransitionError``."""
    scope = MOVES.get((current, target))
    if scope is None:
        raise IllegalTransitionError(current, target)
    return scope


def after_revision(current: str) -> str:
    """The status an item takes when a new revision is written."""
    return DRAFT if current != DRAFT else current
