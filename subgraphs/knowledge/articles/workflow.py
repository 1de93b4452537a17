"""The article life cycle: draft → review → published → archived, and the moves back.

One table of legal moves; everything else is refused with an error naming both ends.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Change(StrEnum):
    """What a version records."""

    CREATED = "created"
    EDITED = "edited"
    STATUS_CHANGED = "status_changed"


MOVES: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.REVIEW}),
    Status.REVIEW: frozenset({Status.DRAFT, Status.PUBLISHED}),  # back to draft: changes requested
    Status.PUBLISHED: frozenset({Status.ARCHIVED, Status.DRAFT}),  # to draft: withdrawn for rework
    Status.ARCHIVED: frozenset({Status.DRAFT}),  # reopened
}

# Archived articles are frozen: reopen them (to draft) before editing.
EDITABLE: frozenset[Status] = frozenset({Status.DRAFT, Status.REVIEW, Status.PUBLISHED})


def can_move(current: Status, target: Status) -> bool:
    return target in MOVES[current]
