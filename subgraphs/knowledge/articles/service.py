"""Article lookups and listings, and the editor's mutations: create, edit, move through the workflow.

Published articles are public; any other status (and every version history) needs
``knowledge:read``. Each mutation is one transaction that writes the article, a new version
(who, when, what changed) and the article's search-index entry.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from kcp.pagination import Window
from subgraphs.knowledge.articles.errors import (
    ArchivedArticleError,
    ArticleNotFoundError,
    ConcurrentChangeError,
    IllegalTransitionError,
    InvalidArticleError,
    StaleVersionError,
)
from subgraphs.knowledge.articles.workflow import EDITABLE, MOVES, Change, Status, can_move
from subgraphs.knowledge.scopes import KNOWLEDGE_READ, KNOWLEDGE_WRITE
from subgraphs.knowledge.tables import ArticleRow, ArticleVersionRow

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

    from sqlalchemy.ext.asyncio import AsyncSession

    from kcp.identity import Identity
    from subgraphs.knowledge.articles.loaders import ArticleLoaders
    from subgraphs.knowledge.articles.repository import ArticleRepository

ARTICLE_KINDS = frozenset({"faq", "guide", "troubleshooting", "release_note"})
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LOCALE = re.compile(r"[a-z]{2}-[A-Z]{2}")
TAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
MAX_SLUG, MAX_TITLE, MAX_BODY, MAX_TAGS, MAX_TAG = 200, 300, 100_000, 20, 60


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """What an editor sends to create an article."""

    slug: str
    title: str
    kind: str
    body: str
    locale: str
    tags: Sequence[str]


@dataclass(frozen=True, slots=True)
class ArticleEdit:
    """The fields an edit changes; ``None`` keeps the stored value."""

    title: str | None = None
    body: str | None = None
    locale: str | None = None
    tags: Sequence[str] | None = None


def _text(field: str, value: str, maximum: int) -> str:
    value = value.strip()
    if not value:
        raise InvalidArticleError(field, "must not be blank.")
    if len(value) > maximum:
        raise InvalidArticleError(field, f"must be at most {maximum} characters, got {len(value)}.")
    return value


def _locale(value: str) -> str:
    if not LOCALE.fullmatch(value):
        raise InvalidArticleError("locale", f"must look like `en-US`, got {value[:20]!r}.")
    return value


def _tags(values: Sequence[str]) -> list[str]:
    if len(values) > MAX_TAGS:
        raise InvalidArticleError("tags", f"must hold at most {MAX_TAGS} tags, got {len(values)}.")
    for tag in values:
        if len(tag) > MAX_TAG or not TAG.fullmatch(tag):
            problem = f"must be letters, digits and dashes (at most {MAX_TAG}), got {tag[:70]!r}."
            raise InvalidArticleError("tags", problem)
    return list(dict.fromkeys(values))


def _version(row: ArticleRow, change: Change, author: str | None, at: datetime) -> ArticleVersionRow:
    return ArticleVersionRow(
        article_id=row.id,
        number=row.version,
        change=change.value,
        title=row.title,
        body=row.body,
        locale=row.locale,
        status=row.status,
        tags=list(row.tags),
        author_id=author,
        created_at=at,
    )


class ArticleService:
    def __init__(
        self,
        repository: ArticleRepository,
        loaders: ArticleLoaders,
        identity: Identity,
        *,
        on_change: Callable[[ArticleRow], Awaitable[None]] | None = None,
    ) -> None:
        self._repository = repository
        self._loaders = loaders
        self._identity = identity
        # Called after a change commits: re-indexes the article's passages for retrieval.
        self._on_change = on_change

    # ---- reads -------------------------------------------------------------------------------

    def _visible(self, row: ArticleRow | None) -> ArticleRow | None:
        """Unpublished articles exist only for callers with ``knowledge:read``."""
        if row is None or row.status == Status.PUBLISHED or self._identity.caller.has(KNOWLEDGE_READ):
            return row
        return None

    async def article(self, article_id: str) -> ArticleRow | None:
        return self._visible(await self._loaders.article.load(article_id))

    async def articles_by_id(self, article_ids: Sequence[str]) -> list[ArticleRow | None]:
        return [self._visible(row) for row in await self._loaders.article.load_many(article_ids)]

    async def article_by_slug(self, slug: str) -> ArticleRow | None:
        row = await self._repository.article_by_slug(slug)
        if row is not None:
            self._loaders.article.prime(row.id, row)
        return self._visible(row)

    async def articles(  # noqa: PLR0913 - the filters of one listing
        self,
        *,
        kind: str | None,
        statuses: Sequence[Status],
        locale: str | None,
        tag: str | None,
        first: int,
        after: str | None,
    ) -> tuple[list[ArticleRow], int, Window]:
        """A page of articles; asking for anything but published ones needs ``knowledge:read``."""
        window = Window.of(first, after)
        wanted = list(dict.fromkeys(statuses)) or [Status.PUBLISHED]
        if wanted != [Status.PUBLISHED]:
            self._identity.require(KNOWLEDGE_READ)
        rows, total = await self._repository.article_page(
            kind=kind,
            statuses=[status.value for status in wanted],
            locale=locale,
            tag=tag,
            offset=window.offset,
            limit=window.limit + 1,
        )
        self._loaders.article.prime_many({row.id: row for row in rows})
        return rows, total, window

    async def versions(self, article_id: str) -> list[ArticleVersionRow]:
        self._identity.require(KNOWLEDGE_READ)
        return await self._loaders.versions.load(article_id)

    # ---- mutations ---------------------------------------------------------------------------

    async def create(self, draft: ArticleDraft) -> ArticleRow:
        caller = self._identity.require(KNOWLEDGE_WRITE)
        slug = draft.slug.strip()
        if len(slug) > MAX_SLUG or not SLUG.fullmatch(slug):
            raise InvalidArticleError("slug", f"must be lower-case words joined by dashes, got {slug[:60]!r}.")
        if draft.kind not in ARTICLE_KINDS:
            raise InvalidArticleError("kind", f"must be one of {sorted(ARTICLE_KINDS)}.")
        now = datetime.now(UTC)
        row = ArticleRow(
            id=f"art-{uuid.uuid4().hex[:12]}",
            slug=slug,
            title=_text("title", draft.title, MAX_TITLE),
            kind=draft.kind,
            body=_text("body", draft.body, MAX_BODY),
            locale=_locale(draft.locale),
            status=Status.DRAFT.value,
            tags=_tags(draft.tags),
            published_at=None,
            version=1,
            updated_at=now,
        )
        async with self._writing() as session:
            if await self._repository.slug_owner(session, slug) is not None:
                raise InvalidArticleError("slug", f"is taken: another article is at {slug!r}.")
            await self._repository.save(session, row, _version(row, Change.CREATED, caller.subject, now))
        await self._changed(row)
        return row

    async def edit(self, article_id: str, edit: ArticleEdit, expected_version: int | None) -> ArticleRow:
        """A new version with the changed fields; the status stays (a published article stays published)."""
        caller = self._identity.require(KNOWLEDGE_WRITE)
        title = None if edit.title is None else _text("title", edit.title, MAX_TITLE)
        body = None if edit.body is None else _text("body", edit.body, MAX_BODY)
        locale = None if edit.locale is None else _locale(edit.locale)
        tags = None if edit.tags is None else _tags(edit.tags)
        if title is None and body is None and locale is None and tags is None:
            raise InvalidArticleError("input", "changes nothing: give at least one of title, body, locale, tags.")
        now = datetime.now(UTC)
        async with self._writing() as session:
            row = await self._writable(session, article_id, expected_version)
            if Status(row.status) not in EDITABLE:
                raise ArchivedArticleError
            row.title = title if title is not None else row.title
            row.body = body if body is not None else row.body
            row.locale = locale if locale is not None else row.locale
            row.tags = tags if tags is not None else list(row.tags)
            row.version += 1
            row.updated_at = now
            await self._repository.save(session, row, _version(row, Change.EDITED, caller.subject, now))
        await self._changed(row)
        return row

    async def transition(self, article_id: str, target: Status, expected_version: int | None) -> ArticleRow:
        caller = self._identity.require(KNOWLEDGE_WRITE)
        now = datetime.now(UTC)
        async with self._writing() as session:
            row = await self._writable(session, article_id, expected_version)
            current = Status(row.status)
            if not can_move(current, target):
                allowed = sorted(MOVES[current], key=list(Status).index)
                raise IllegalTransitionError(current, target, allowed)
            row.status = target.value
            if target is Status.PUBLISHED:
                row.published_at = now
            elif target is Status.DRAFT:
                row.published_at = None  # withdrawn or reopened: no longer published
            row.version += 1
            row.updated_at = now
            await self._repository.save(session, row, _version(row, Change.STATUS_CHANGED, caller.subject, now))
        await self._changed(row)
        return row

    async def _changed(self, row: ArticleRow) -> None:
        """Re-index the article's passages (a draft has none; one no longer published loses its own)."""
        if self._on_change is not None:
            await self._on_change(row)

    @contextlib.asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncSession]:
        """One transaction; a concurrent save of the same article or slug is a coded conflict, not a 500."""
        try:
            async with self._repository.writing() as session:
                yield session
        except IntegrityError as error:
            raise ConcurrentChangeError from error

    async def _writable(self, session: AsyncSession, article_id: str, expected_version: int | None) -> ArticleRow:
        row = await self._repository.for_update(session, article_id)
        if row is None:
            raise ArticleNotFoundError(article_id)
        if expected_version is not None and expected_version != row.version:
            raise StaleVersionError(expected_version, row.version)
        return row
