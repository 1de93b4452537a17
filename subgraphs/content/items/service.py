"""Rules of content items: who sees what, validation, immutable revisions, the review workflow."""

from __future__ import annotations

import dataclasses
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import structlog
from prometheus_client import Counter

from kcp.stores.documents import DuplicateDocumentError
from subgraphs.content.items import workflow
from subgraphs.content.items.diff import RevisionDiff, diff_revisions
from subgraphs.content.items.errors import (
    ConcurrentChangeError,
    ContentItemNotFoundError,
    InvalidContentInputError,
    RevisionNotFoundError,
)
from subgraphs.content.items.repository import (
    ContentItemRecord,
    ItemFilter,
    ReviewRecord,
    RevisionRecord,
    revision_id,
)
from subgraphs.content.scopes import CONTENT_READ, CONTENT_WRITE

if TYPE_CHECKING:
    from collections.abc import Callable

    from kcp.identity import Identity
    from kcp.pagination import Window
    from subgraphs.content.items.repository import ContentRepository

log = structlog.get_logger()

TRANSITIONS = Counter(
    "kcp_content_transitions_total",
    "Content items moved along the review workflow, by target status (published: content published).",
    ["to_status"],
)
for _status in workflow.STATUSES:  # present at 0 from the start, for the dashboard
    TRANSITIONS.labels(_status)

MAX_TITLE_LENGTH = 200
MAX_BODY_LENGTH = 100_000
MAX_COMMENT_LENGTH = 2_000
KINDS = frozenset({"product_description", "marketing_email", "social_post", "support_macro", "faq_draft"})
LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z][A-Za-z]{1,3})?$")
_ATTEMPTS = 3
PUBLIC_STATUSES = (workflow.PUBLISHED,)


def required_text(value: str, field: str, *, max_length: int) -> str:
    cleaned = value.strip()
    if not cleaned:
        msg = f"`{field}` must not be empty."
        raise InvalidContentInputError(msg)
    if len(cleaned) > max_length:
        msg = f"`{field}` must be at most {max_length} characters; got {len(cleaned)}."
        raise InvalidContentInputError(msg)
    return cleaned


def checked_locale(locale: str) -> str:
    cleaned = locale.strip()
    if not LOCALE.match(cleaned):
        msg = f"`locale` must look like `en-US`; got {locale!r}."
        raise InvalidContentInputError(msg)
    return cleaned


def checked_kind(kind: str) -> str:
    if kind not in KINDS:
        msg = f"unknown content kind {kind!r}."
        raise InvalidContentInputError(msg)
    return kind


def visible_statuses(identity: Identity) -> tuple[str, ...] | None:
    """What the caller may see: everything with content:read, published items otherwise."""
    return None if identity.problem is None and identity.caller.has(CONTENT_READ) else PUBLIC_STATUSES


@dataclass(frozen=True, slots=True)
class NewContentItem:
    product_id: str
    kind: str
    title: str
    locale: str
    body: str
    translation_of: str | None = None
    template_id: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CreatedContentItem:
    item: ContentItemRecord
    revision: RevisionRecord


class ContentItemService:
    """Use cases of content items; all store access goes through the repository."""

    def __init__(self, repository: ContentRepository, *, clock: Callable[[], datetime] | None = None) -> None:
        self._repository = repository
        self._clock = clock or (lambda: datetime.now(UTC))

    async def page(self, identity: Identity, where: ItemFilter, window: Window) -> tuple[list[ContentItemRecord], int]:
        """One page of the items the caller may see (``window.limit + 1`` rows) and their total."""
        visible = dataclasses.replace(where, statuses=visible_statuses(identity))
        rows = await self._repository.list_items(visible, offset=window.offset, limit=window.limit + 1)
        return rows, await self._repository.count_matching(visible)

    async def _item(self, item_id: str) -> ContentItemRecord:
        found = await self._repository.items_by_ids([item_id])
        if not found:
            raise ContentItemNotFoundError(item_id)
        return found[0]

    async def create(self, identity: Identity, new: NewContentItem) -> CreatedContentItem:
        """A draft item with its first revision, written by the caller (content:write)."""
        author = identity.require(CONTENT_WRITE).subject or "unknown"
        product_id = required_text(new.product_id, "productId", max_length=64)
        title = required_text(new.title, "title", max_length=MAX_TITLE_LENGTH)
        body = required_text(new.body, "body", max_length=MAX_BODY_LENGTH)
        locale = checked_locale(new.locale)
        kind = checked_kind(new.kind)
        original = None if new.translation_of is None else await self._translatable(new, locale)
        now = self._clock()
        item = ContentItemRecord(
            id=f"cnt-{uuid.uuid4().hex[:12]}",
            product_id=product_id,
            kind=kind,
            title=title,
            locale=locale,
            status=workflow.DRAFT,
            created_at=now,
            created_by=author,
            translation_of=original,
            template_id=new.template_id,
        )
        revision = RevisionRecord(
            id=revision_id(item.id, 1),
            content_item_id=item.id,
            number=1,
            body=body,
            author_id=author,
            created_at=now,
            note=new.note,
        )
        # The revision goes first: should the item's insert fail, an orphan revision is invisible,
        # whereas an item without revision would break `currentRevision: Revision!`.
        await self._repository.insert_revision(revision)
        await self._repository.insert_item(item)
        log.info("content.item_created", content_item_id=item.id, product_id=product_id, kind=kind)
        return CreatedContentItem(item=item, revision=revision)

    async def _translatable(self, new: NewContentItem, locale: str) -> str:
        """The original a new translation joins; it must be of the same product and kind, and the
        group must not have this locale yet."""
        original = await self._item(str(new.translation_of))
        root_id = original.translation_of or original.id
        root = original if root_id == original.id else await self._item(root_id)
        if (root.product_id, root.kind) != (new.product_id.strip(), new.kind):
            msg = f"a translation has the product and kind of its original ({root.product_id}, {root.kind})."
            raise InvalidContentInputError(msg)
        taken = {root.locale, *(t.locale for t in await self._repository.translations_of([root.id]))}
        if locale in taken:
            msg = f"content item {root.id!r} already has a {locale} version."
            raise InvalidContentInputError(msg)
        return root.id

    async def revise(self, identity: Identity, item_id: str, *, body: str, note: str | None) -> ContentItemRecord:
        """Append revision n+1 (earlier revisions never change); an item past draft returns to draft."""
        author = identity.require(CONTENT_WRITE).subject or "unknown"
        cleaned_body = required_text(body, "body", max_length=MAX_BODY_LENGTH)
        cleaned_note = None if note is None else required_text(note, "note", max_length=MAX_COMMENT_LENGTH)
        await self._item(item_id)
        for _attempt in range(_ATTEMPTS):
            number = await self._repository.latest_revision_number(item_id) + 1
            revision = RevisionRecord(
                id=revision_id(item_id, number),
                content_item_id=item_id,
                number=number,
                body=cleaned_body,
                author_id=author,
                created_at=self._clock(),
                note=cleaned_note,
            )
            try:
                await self._repository.insert_revision(revision)
            except DuplicateDocumentError:
                log.info("content.revision_conflict", content_item_id=item_id, number=number)
                continue
            log.info("content.item_revised", content_item_id=item_id, number=number)
            return await self._back_to_draft(item_id, author, number)
        raise ConcurrentChangeError(item_id)

    async def _back_to_draft(self, item_id: str, author: str, number: int) -> ContentItemRecord:
        for _attempt in range(_ATTEMPTS):
            item = await self._item(item_id)
            if item.status == workflow.DRAFT:
                return item
            moved = self._moved(item, workflow.DRAFT, author, number, "revised: needs review again")
            if await self._repository.move_item(item, moved):
                return moved
        raise ConcurrentChangeError(item_id)

    def _moved(
        self, item: ContentItemRecord, target: str, by: str, number: int, comment: str | None
    ) -> ContentItemRecord:
        now = self._clock()
        return dataclasses.replace(
            item,
            status=target,
            status_changed_at=now,
            status_changed_by=by,
            published_revision=number if target == workflow.PUBLISHED else item.published_revision,
            reviews=(*item.reviews, ReviewRecord(item.status, target, by, now, number, comment)),
        )

    async def transition(self, identity: Identity, item_id: str, target: str, comment: str | None) -> ContentItemRecord:
        """Move the item along the workflow; the move decides the scope (see ``workflow``)."""
        identity.require()  # unauthenticated callers learn nothing about the item
        cleaned = None if comment is None else required_text(comment, "comment", max_length=MAX_COMMENT_LENGTH)
        item = await self._item(item_id)
        scope = workflow.scope_for(item.status, target)
        by = identity.require(scope).subject or "unknown"
        number = await self._repository.latest_revision_number(item_id)
        moved = self._moved(item, target, by, number, cleaned)
        if not await self._repository.move_item(item, moved):
            # Someone moved it first: judge this move again from where it is now.
            now_at = await self._item(item_id)
            workflow.scope_for(now_at.status, target)
            raise ConcurrentChangeError(item_id)
        TRANSITIONS.labels(target).inc()
        log.info("content.item_moved", content_item_id=item_id, from_status=item.status, to_status=target, by=by)
        return moved

    @staticmethod
    def diff(revisions: list[RevisionRecord], item_id: str, from_number: int, to_number: int) -> RevisionDiff:
        by_number = {r.number: r for r in revisions}
        for number in (from_number, to_number):
            if number not in by_number:
                raise RevisionNotFoundError(item_id, number)
        return diff_revisions(by_number[from_number], by_number[to_number])
