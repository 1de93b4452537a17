"""The ``User`` entity as content sees it: an id that auth resolves.

Items, templates and generation all name users (who wrote, reviewed, published, created); the
stub lives here, below all three, so none of them imports another for it.
"""

from __future__ import annotations

import strawberry


@strawberry.federation.type(keys=["id"])
class User:
    """Auth owns `User`; content names who wrote, reviewed and published."""

    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:  # noqa: A002 - the key field is called id
        return cls(id=id)
