"""The content subgraph's schema: queries, mutations and the `Product` extension."""

from __future__ import annotations

import contextlib

import strawberry

from kcp.service import SubgraphSchema, subgraph_extensions
from subgraphs.content.context import Context  # noqa: TC001 - Strawberry resolves Info[Context] at runtime
from subgraphs.content.items.service import NewContentItem
from subgraphs.content.items.types import ContentItem, ContentKind, ContentStatus, Product


@strawberry.input
class CreateContentItemInput:
    product_id: strawberry.ID
    kind: ContentKind
    title: str
    locale: str
    body: str
    author_id: strawberry.ID = strawberry.field(description="Until auth integration: the writing `User`.")


# The list fields of Query are nullable at the outer level on purpose: when one fails (bad input,
# a store error, this subgraph down), only that field is null; a non-null type would null every
# other root field of the response too, those other subgraphs answered included.
@strawberry.type
class Query:
    @strawberry.field
    async def content_item(self, info: strawberry.Info[Context, None], id: strawberry.ID) -> ContentItem | None:  # noqa: A002 - GraphQL argument name
        record = await info.context.loaders.item_by_id.load(str(id))
        return None if record is None else ContentItem.from_record(record)

    @strawberry.field(description="Content items, newest first; `first` is at most 100.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def content_items(
        self,
        info: strawberry.Info[Context, None],
        product_id: strawberry.ID | None = None,
        status: ContentStatus | None = None,
        first: int = 20,
    ) -> list[ContentItem] | None:
        records = await info.context.items.list_items(
            product_id=None if product_id is None else str(product_id),
            status=None if status is None else status.value,
            first=first,
        )
        return [ContentItem.from_record(r) for r in records]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a draft content item with its first revision.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def create_content_item(
        self,
        info: strawberry.Info[Context, None],
        input: CreateContentItemInput,  # noqa: A002 - GraphQL argument name
    ) -> ContentItem:
        created = await info.context.items.create(
            NewContentItem(
                product_id=str(input.product_id),
                kind=input.kind.value,
                title=input.title,
                locale=input.locale,
                body=input.body,
                author_id=str(input.author_id),
            )
        )
        return ContentItem.from_record(created.item)

    @strawberry.mutation(description="Append a new immutable revision (number n+1) to a content item.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def revise_content_item(
        self,
        info: strawberry.Info[Context, None],
        id: strawberry.ID,  # noqa: A002 - GraphQL argument name
        body: str,
        author_id: strawberry.ID,
    ) -> ContentItem:
        created = await info.context.items.revise(str(id), body=body, author_id=str(author_id))
        # An earlier mutation of this request may have cached the old revisions; Strawberry's
        # `clear` raises KeyError for a key it never cached.
        with contextlib.suppress(KeyError):
            info.context.loaders.revisions_by_item.clear(created.item.id)
        return ContentItem.from_record(created.item)


schema = SubgraphSchema(
    query=Query,
    mutation=Mutation,
    types=[ContentItem, Product],
    extensions=subgraph_extensions(),
)
