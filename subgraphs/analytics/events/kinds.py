"""The kinds of event analytics understands, and what each kind must carry."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    PAGE_VIEW = "page_view"
    SEARCH = "search"
    SEARCH_CLICK = "search_click"
    ARTICLE_VIEW = "article_view"
    ARTICLE_FEEDBACK = "article_feedback"
    TICKET_CREATED = "ticket_created"
    CONTENT_GENERATED = "content_generated"


KNOWN_KINDS: frozenset[str] = frozenset(str(kind) for kind in EventKind)
