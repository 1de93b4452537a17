"""GraphQL types of articles; ``Article`` is a federation entity keyed by id."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - Strawberry reads annotations at runtime
from enum import Enum
from typing import TYPE_CHECKING

import strawberry

from subgraphs.knowledge.context import Info  # noqa: TC001 - Strawberry reads annotations at runtime

if TYPE_CHECKING:
    from subgraphs.knowledge.tables import ArticleRow


@strawberry.enum
class ArticleKind(Enum):
    FAQ = "faq"
    GUIDE = "guide"
    TROUBLESHOOTING = "troubleshooting"
    RELEASE_NOTE = "release_note"


@strawberry.enum
class ArticleStatus(Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


@strawberry.federation.type(keys=["id"], description="A knowledge-base article (markdown body).")
class Article:
    id: strawberry.ID
    slug: str
    title: str
    kind: ArticleKind
    body: str
    locale: str
    status: ArticleStatus
    tags: list[str]
    published_at: dt.datetime | None

    @classmethod
    def from_model(cls, row: ArticleRow) -> Article:
        return cls(
            id=strawberry.ID(row.id),
            slug=row.slug,
            title=row.title,
            kind=ArticleKind(row.kind),
            body=row.body,
            locale=row.locale,
            status=ArticleStatus(row.status),
            tags=list(row.tags),
            published_at=row.published_at,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Article | None:  # noqa: A002 - the key field's name
        row = await info.context.loaders.articles.article.load(str(id))
        return None if row is None else cls.from_model(row)
