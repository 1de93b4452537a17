"""GraphQL types of articles and their versions; ``Article`` is a federation entity keyed by id."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - Strawberry reads annotations at runtime
from enum import Enum
from typing import TYPE_CHECKING

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from subgraphs.knowledge.articles.workflow import Change, Status
from subgraphs.knowledge.context import Info  # noqa: TC001 - Strawberry reads annotations at runtime

if TYPE_CHECKING:
    from subgraphs.knowledge.tables import ArticleRow, ArticleVersionRow


@strawberry.enum
class ArticleKind(Enum):
    FAQ = "faq"
    GUIDE = "guide"
    TROUBLESHOOTING = "troubleshooting"
    RELEASE_NOTE = "release_note"


@strawberry.enum(
    description="draft → review → published → archived; review → draft (changes requested), "
    "published → draft (withdrawn), archived → draft (reopened)."
)
class ArticleStatus(Enum):
    DRAFT = Status.DRAFT.value
    REVIEW = Status.REVIEW.value
    PUBLISHED = Status.PUBLISHED.value
    ARCHIVED = Status.ARCHIVED.value


@strawberry.enum(description="What one version of an article records.")
class ArticleChange(Enum):
    CREATED = Change.CREATED.value
    EDITED = Change.EDITED.value
    STATUS_CHANGED = Change.STATUS_CHANGED.value


# A reference to auth's User; no description of its own, so auth's is the one clients read.
@strawberry.federation.type(directives=[Key(fields=FieldSet("id"), resolvable=False)])
class User:
    id: strawberry.ID


@strawberry.type(description="One immutable snapshot of an article, saved by every create, edit and status change.")
class ArticleVersion:
    number: int
    change: ArticleChange
    title: str
    body: str
    locale: str
    status: ArticleStatus
    tags: list[str]
    created_at: dt.datetime
    author: User | None = strawberry.field(description="Who saved it; null for history imported without one.")

    @classmethod
    def from_model(cls, row: ArticleVersionRow) -> ArticleVersion:
        return cls(
            number=row.number,
            change=ArticleChange(row.change),
            title=row.title,
            body=row.body,
            locale=row.locale,
            status=ArticleStatus(row.status),
            tags=list(row.tags),
            created_at=row.created_at,
            author=None if row.author_id is None else User(id=strawberry.ID(row.author_id)),
        )


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
    version: int = strawberry.field(description="The number of the latest version; send it back as `expectedVersion`.")
    updated_at: dt.datetime | None

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
            version=row.version,
            updated_at=row.updated_at,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Article | None:  # noqa: A002 - the key field's name
        row = await info.context.articles.article(str(id))
        return None if row is None else cls.from_model(row)

    @strawberry.field(description="Every version, newest first (needs `knowledge:read`).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def versions(self, info: Info) -> list[ArticleVersion]:
        return [ArticleVersion.from_model(row) for row in await info.context.articles.versions(self.id)]


@strawberry.input(description="A new article; it starts as a DRAFT at version 1.")
class CreateArticleInput:
    slug: str
    title: str
    kind: ArticleKind
    body: str = strawberry.field(description="Markdown.")
    locale: str = "en-US"
    tags: list[str] = strawberry.field(default_factory=list)


@strawberry.input(description="The fields to change; the ones left out keep their value.")
class EditArticleInput:
    title: str | None = None
    body: str | None = None
    locale: str | None = None
    tags: list[str] | None = None
