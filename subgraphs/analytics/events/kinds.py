"""The kinds of event analytics understands, who may send them, and what each kind must carry."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    PAGE_VIEW = "page_view"
    SEARCH = "search"
    SEARCH_CLICK = "search_click"
    ARTICLE_VIEW = "article_view"
    ARTICLE_FEEDBACK = "article_feedback"
    TICKET_CREATED = "ticket_created"
    TICKET_SOLVED = "ticket_solved"
    TICKET_DEFLECTED = "ticket_deflected"
    """A ticket never opened: a suggested solution solved the problem before the customer submitted."""
    CONTENT_GENERATED = "content_generated"


KNOWN_KINDS: frozenset[str] = frozenset(str(kind) for kind in EventKind)

CLIENT_KINDS: frozenset[EventKind] = frozenset(
    {
        EventKind.PAGE_VIEW,
        EventKind.SEARCH,
        EventKind.SEARCH_CLICK,
        EventKind.ARTICLE_VIEW,
        EventKind.ARTICLE_FEEDBACK,
        # Only the customer's browser sees them leave satisfied; no service ever learns of it.
        EventKind.TICKET_DEFLECTED,
    }
)
"""What a browser reports, even anonymously: nothing in them is trusted beyond a count."""

SERVER_KINDS: frozenset[EventKind] = frozenset(EventKind) - CLIENT_KINDS
"""What only our services know happened (tickets, generated content): needs ``analytics:write``."""
