"""Rules of the content domain: validation, creating items, appending immutable revisions.

Auth scopes (only editors create or revise content) arrive with the auth-integration issue;
until then the author is named by the caller.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import structlog

from kcp.pagination import check_first
from kcp.stores.documents import DuplicateDocumentError
from subgraphs.content.items.errors import (
    ContentItemNotFoundError,
    InvalidContentInputError,
    RevisionConflictError,
)
from subgraphs.content.items.repository import ContentItemRecord, RevisionRecord, revision_id

if TYPE_CHECKING:
    from collections.abc import Callable

    from subgraphs.content.items.repository import ContentRepository

log = structlog.get_logger()

MAX_TITLE_LENGTH = 200
MAX_BODY_LENGTH = 100_000
KINDS = frozenset({"product_description", "marketing_email", "social_post", "support_macro"})
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z][A-Za-z]{1,3})?$")
_REVISE_ATTEMPTS = 3


def _required(value: str, field: str, *, max_length: int) -> str:
    cleaned = value.strip()
    if not cleaned:
        msg = f"`{field}` must not be empty."
        raise InvalidContentInputError(msg)
    if len(cleaned) > max_length:
        msg = f"`{field}` must be at most {max_length} characters; got {len(cleaned)}."
        raise InvalidContentInputError(msg)
    return cleaned


@dataclass(frozen=True, slots=True)
class NewContentItem:
    product_id: str
    kind: str
    title: str
    locale: str
    body: str
    author_id: str


@dataclass(frozen=True, slots=True)
class CreatedContentItem:
    item: ContentItemRecord
    revision: RevisionRecord


class ContentItemService:
    """Use cases of content items; all store access goes through the repository."""

    def __init__(self, repository: ContentRepository, *, clock: Callable[[], datetime] | None = None) -> None:
        self._repository = repository
        self._clock = clock or (lambda: datetime.now(UTC))

    async def list_items(self, *, product_id: str | None, status: str | None, first: int) -> list[ContentItemRecord]:
        return await self._repository.list_items(product_id=product_id, status=status, limit=check_first(first))

    async def create(self, new: NewContentItem) -> CreatedContentItem:
        product_id = _required(new.product_id, "productId", max_length=64)
        title = _required(new.title, "title", max_length=MAX_TITLE_LENGTH)
        body = _required(new.body, "body", max_length=MAX_BODY_LENGTH)
        author_id = _required(new.author_id, "authorId", max_length=64)
        locale = new.locale.strip()
        if not _LOCALE.match(locale):
            msg = f"`locale` must look like `en-US`; got {new.locale!r}."
            raise InvalidContentInputError(msg)
        if new.kind not in KINDS:
            msg = f"unknown content kind {new.kind!r}."
            raise InvalidContentInputError(msg)
        now = self._clock()
        item = ContentItemRecord(
            id=f"cnt-{uuid.uuid4().hex[:12]}",
            product_id=product_id,
            kind=new.kind,
            title=title,
            locale=locale,
            status="draft",
            created_at=now,
        )
        revision = RevisionRecord(
            id=revision_id(item.id, 1),
            content_item_id=item.id,
            number=1,
            body=body,
            author_id=author_id,
            created_at=now,
        )
        # The revision goes first: should the item's insert fail, an orphan revision is invisible,
        # whereas an item without revision would break `currentRevision: Revision!`.
        await self._repository.insert_revision(revision)
        await self._repository.insert_item(item)
        log.info("content.item_created", content_item_id=item.id, product_id=product_id, kind=new.kind)
        return CreatedContentItem(item=item, revision=revision)

    async def revise(self, item_id: str, *, body: str, author_id: str) -> CreatedContentItem:
        """Append revision n+1; earlier revisions are never changed."""
        cleaned_body = _required(body, "body", max_length=MAX_BODY_LENGTH)
        cleaned_author = _required(author_id, "authorId", max_length=64)
        items = await self._repository.items_by_ids([item_id])
        if not items:
            raise ContentItemNotFoundError(item_id)
        for _attempt in range(_REVISE_ATTEMPTS):
            number = await self._repository.latest_revision_number(item_id) + 1
            revision = RevisionRecord(
                id=revision_id(item_id, number),
                content_item_id=item_id,
                number=number,
                body=cleaned_body,
                author_id=cleaned_author,
                created_at=self._clock(),
            )
            try:
                await self._repository.insert_revision(revision)
            except DuplicateDocumentError:
                log.info("content.revision_conflict", content_item_id=item_id, number=number)
                continue
            log.info("content.item_revised", content_item_id=item_id, number=number)
            return CreatedContentItem(item=items[0], revision=revision)
        raise RevisionConflictError(item_id)
