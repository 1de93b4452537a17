"""The knowledge subgraph's schema (Federation 2): catalog, troubleshooting and articles."""

from __future__ import annotations

import functools

import strawberry
from strawberry.extensions import AddValidationRules

from kcp.pagination import MAX_PAGE_SIZE
from kcp.service import SubgraphSchema, subgraph_extensions
from subgraphs.knowledge.articles.types import Article, ArticleKind, ArticleStatus
from subgraphs.knowledge.catalog.types import Category, Product
from subgraphs.knowledge.context import Info  # noqa: TC001 - Strawberry reads annotations at runtime
from subgraphs.knowledge.relations.limits import RelationDepthLimit
from subgraphs.knowledge.troubleshooting.types import KnownIssue

PRODUCTS_DESCRIPTION = (
    "Products ordered by id. `category` is a category slug; `after` is the id of the last product of the "
    f"previous page; `first` is 1 to {MAX_PAGE_SIZE}."
)
ARTICLES_DESCRIPTION = (
    f"Articles, newest first; published ones unless `status` says otherwise; `first` is 1 to {MAX_PAGE_SIZE}."
)


# The list fields of Query are nullable at the outer level on purpose: when one fails (bad input,
# a store error), only that field is null; a non-null type would null every other root field of
# the response too, those other subgraphs answered included.
@strawberry.type
class Query:
    @strawberry.field
    async def product(self, info: Info, id: strawberry.ID) -> Product | None:  # noqa: A002 - GraphQL argument name
        row = await info.context.catalog.product(str(id))
        return None if row is None else Product.from_model(row)

    @strawberry.field
    async def product_by_slug(self, info: Info, slug: str) -> Product | None:
        row = await info.context.catalog.product_by_slug(slug)
        return None if row is None else Product.from_model(row)

    @strawberry.field(description=PRODUCTS_DESCRIPTION)  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def products(
        self, info: Info, category: str | None = None, first: int = 20, after: str | None = None
    ) -> list[Product] | None:
        rows = await info.context.catalog.products(category_slug=category, first=first, after=after)
        return [Product.from_model(row) for row in rows]

    @strawberry.field
    async def categories(self, info: Info) -> list[Category] | None:
        return [Category.from_model(row) for row in await info.context.catalog.categories()]

    @strawberry.field
    async def known_issue(self, info: Info, id: strawberry.ID) -> KnownIssue | None:  # noqa: A002 - GraphQL argument name
        row = await info.context.troubleshooting.known_issue(str(id))
        return None if row is None else KnownIssue.from_model(row)

    @strawberry.field
    async def article(self, info: Info, id: strawberry.ID) -> Article | None:  # noqa: A002 - GraphQL argument name
        row = await info.context.articles.article(str(id))
        return None if row is None else Article.from_model(row)

    @strawberry.field
    async def article_by_slug(self, info: Info, slug: str) -> Article | None:
        row = await info.context.articles.article_by_slug(slug)
        return None if row is None else Article.from_model(row)

    @strawberry.field(description=ARTICLES_DESCRIPTION)  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def articles(
        self,
        info: Info,
        kind: ArticleKind | None = None,
        status: ArticleStatus | None = ArticleStatus.PUBLISHED,
        first: int = 20,
    ) -> list[Article] | None:
        rows = await info.context.articles.articles(
            kind=None if kind is None else kind.value, status=None if status is None else status.value, first=first
        )
        return [Article.from_model(row) for row in rows]

    @strawberry.field(description="Published articles whose title or body contains every word of `query`.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def search_articles(self, info: Info, query: str, first: int = 10) -> list[Article] | None:
        return [Article.from_model(row) for row in await info.context.articles.search(query, first=first)]


# Nested list relations multiply the work: a few bytes of `compatibleWith { compatibleWith { ... } } }`
# would keep the subgraph busy for minutes, so such documents are refused before they run.
schema = SubgraphSchema(
    query=Query,
    types=[Product, Article],
    extensions=[*subgraph_extensions(), functools.partial(AddValidationRules, [RelationDepthLimit])],
)
