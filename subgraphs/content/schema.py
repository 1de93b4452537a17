"""The content subgraph's schema: items, templates, generation jobs and the `Product` extension."""

from __future__ import annotations

import contextlib

import strawberry

from kcp.pagination import Connection, Window, connection
from kcp.service import SubgraphSchema, subgraph_extensions
from subgraphs.content.context import Context
from subgraphs.content.generation.service import GenerationRequest
from subgraphs.content.generation.types import GenerationJob
from subgraphs.content.items.errors import InvalidContentInputError
from subgraphs.content.items.kinds import ContentKind  # noqa: TC001 - Strawberry reads resolver annotations at runtime
from subgraphs.content.items.repository import ItemFilter
from subgraphs.content.items.service import NewContentItem
from subgraphs.content.items.types import ContentItem, ContentStatus, Product, visible
from subgraphs.content.scopes import CONTENT_READ, CONTENT_WRITE
from subgraphs.content.templates.service import NewTemplate, render
from subgraphs.content.templates.types import ContentTemplate, TemplateVariableInput
from subgraphs.content.users import User

Info = strawberry.Info[Context, None]


@strawberry.input
class CreateContentItemInput:
    product_id: strawberry.ID
    kind: ContentKind
    title: str
    locale: str
    body: str
    translation_of: strawberry.ID | None = strawberry.field(
        default=None, description="The item this one translates: same product and kind, another locale."
    )


@strawberry.input
class CreateContentTemplateInput:
    name: str
    kind: ContentKind
    locale: str
    body: str = strawberry.field(description="Text with {{variable}} placeholders (lower case, digits, _).")
    description: str = ""


@strawberry.input
class CreateContentFromTemplateInput:
    template_id: strawberry.ID
    product_id: strawberry.ID
    title: str
    variables: list[TemplateVariableInput] = strawberry.field(description="Every variable of the template, once.")
    locale: str | None = strawberry.field(default=None, description="Defaults to the template's locale.")


@strawberry.input
class GenerateContentInput:
    product_id: strawberry.ID
    kind: ContentKind
    locale: str = "en-US"
    template_id: strawberry.ID | None = strawberry.field(
        default=None, description="A template of the same kind; the built-in one of the kind otherwise."
    )
    title: str | None = None
    variables: list[TemplateVariableInput] | None = strawberry.field(
        default=None, description="Values for the template's variables that are not product facts."
    )


def _values(variables: list[TemplateVariableInput] | None) -> dict[str, str]:
    values: dict[str, str] = {}
    for variable in variables or ():
        if variable.name in values:
            msg = f"variable {variable.name} is given twice."
            raise InvalidContentInputError(msg)
        values[variable.name] = variable.value
    return values


def _forget_item(info: Info, item_id: str) -> None:
    """A mutation changed the item: later fields of this request must read it again."""
    # Strawberry's `clear` raises KeyError for a key it never cached.
    for loader in (info.context.loaders.revisions_by_item, info.context.loaders.item_by_id):
        with contextlib.suppress(KeyError):
            loader.clear(item_id)


# The list fields of Query are nullable at the outer level on purpose: when one fails (bad input,
# a store error, this subgraph down), only that field is null; a non-null type would null every
# other root field of the response too, those other subgraphs answered included.
@strawberry.type
class Query:
    @strawberry.field(description="A content item; unpublished ones need content:read.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def content_item(self, info: Info, id: strawberry.ID) -> ContentItem | None:  # noqa: A002 - GraphQL argument name
        record = await info.context.loaders.item_by_id.load(str(id))
        return ContentItem.from_record(record) if record is not None and visible(info, record) else None

    @strawberry.field(description="Content items, newest first: published ones, all with content:read. `first` 1..100.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def content_items(  # noqa: PLR0913, PLR0917 - one parameter per filter
        self,
        info: Info,
        product_id: strawberry.ID | None = None,
        status: ContentStatus | None = None,
        kind: ContentKind | None = None,
        locale: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[ContentItem] | None:
        window = Window.of(first, after)
        where = ItemFilter(
            product_id=None if product_id is None else str(product_id),
            status=None if status is None else status.value,
            kind=None if kind is None else kind.value,
            locale=locale,
        )
        rows, total = await info.context.items.page(info.context.identity, where, window)
        return connection(rows, window, total, ContentItem.from_record)

    @strawberry.field(description="A template; needs content:read.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def content_template(self, info: Info, id: strawberry.ID) -> ContentTemplate | None:  # noqa: A002 - GraphQL argument name
        info.context.identity.require(CONTENT_READ)
        record = await info.context.loaders.template_by_id.load(str(id))
        return None if record is None else ContentTemplate.from_record(record)

    @strawberry.field(description="Templates by name; needs content:read. `first` 1..100.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def content_templates(
        self, info: Info, kind: ContentKind | None = None, first: int = 50
    ) -> list[ContentTemplate] | None:
        info.context.identity.require(CONTENT_READ)
        records = await info.context.templates.list(kind=None if kind is None else kind.value, first=first)
        return [ContentTemplate.from_record(r) for r in records]

    @strawberry.field(description="A generation job; needs content:read.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def generation_job(self, info: Info, id: strawberry.ID) -> GenerationJob | None:  # noqa: A002 - GraphQL argument name
        record = await info.context.generation.job(info.context.identity, str(id))
        return None if record is None else GenerationJob.from_record(record)

    @strawberry.field(description="Generation jobs, newest first; needs content:read. `first` 1..100.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def generation_jobs(
        self, info: Info, product_id: strawberry.ID | None = None, first: int = 20
    ) -> list[GenerationJob] | None:
        records = await info.context.generation.jobs(
            info.context.identity, product_id=None if product_id is None else str(product_id), first=first
        )
        return [GenerationJob.from_record(r) for r in records]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a draft content item with its first revision (content:write).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def create_content_item(self, info: Info, input: CreateContentItemInput) -> ContentItem:  # noqa: A002 - GraphQL argument name
        created = await info.context.items.create(
            info.context.identity,
            NewContentItem(
                product_id=str(input.product_id),
                kind=input.kind.value,
                title=input.title,
                locale=input.locale,
                body=input.body,
                translation_of=None if input.translation_of is None else str(input.translation_of),
            ),
        )
        return ContentItem.from_record(created.item)

    @strawberry.mutation(description="Append revision n+1 (content:write); an item past draft returns to draft.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def revise_content_item(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 - GraphQL argument name
        body: str,
        note: str | None = None,
    ) -> ContentItem:
        item = await info.context.items.revise(info.context.identity, str(id), body=body, note=note)
        _forget_item(info, item.id)
        return ContentItem.from_record(item)

    @strawberry.mutation(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description="Move an item in the review workflow: submit (DRAFT→IN_REVIEW, content:write); approve, "
        "send back, publish, unpublish (content:review). Other moves are ILLEGAL_TRANSITION."
    )
    async def transition_content_item(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 - GraphQL argument name
        to: ContentStatus,
        comment: str | None = None,
    ) -> ContentItem:
        item = await info.context.items.transition(info.context.identity, str(id), to.value, comment)
        _forget_item(info, item.id)
        return ContentItem.from_record(item)

    @strawberry.mutation(description="Save a template; its {{variables}} are checked (content:write).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def create_content_template(self, info: Info, input: CreateContentTemplateInput) -> ContentTemplate:  # noqa: A002 - GraphQL argument name
        record = await info.context.templates.create(
            info.context.identity,
            NewTemplate(
                name=input.name,
                kind=input.kind.value,
                locale=input.locale,
                body=input.body,
                description=input.description,
            ),
        )
        return ContentTemplate.from_record(record)

    @strawberry.mutation(description="A draft item from a template with every variable filled in (content:write).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def create_content_from_template(
        self,
        info: Info,
        input: CreateContentFromTemplateInput,  # noqa: A002 - GraphQL argument name
    ) -> ContentItem:
        info.context.identity.require(CONTENT_READ, CONTENT_WRITE)
        template = await info.context.templates.get(str(input.template_id))
        body = render(template, _values(input.variables))
        created = await info.context.items.create(
            info.context.identity,
            NewContentItem(
                product_id=str(input.product_id),
                kind=template.kind,
                title=input.title,
                locale=input.locale or template.locale,
                body=body,
                template_id=template.id,
                note=f"Filled from template {template.name!r}.",
            ),
        )
        return ContentItem.from_record(created.item)

    @strawberry.mutation(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description="Draft an item from the product's facts in the knowledge base (content:write), by an LLM "
        "when OPENAI_API_KEY or ANTHROPIC_API_KEY is set, else by the deterministic template generator "
        "(`provider: template`). FEATURE_DISABLED when ENABLE_CONTENT_GENERATION is off."
    )
    async def generate_content(self, info: Info, input: GenerateContentInput) -> GenerationJob:  # noqa: A002 - GraphQL argument name
        job = await info.context.generation.generate(
            info.context.identity,
            GenerationRequest(
                product_id=str(input.product_id),
                kind=input.kind.value,
                locale=input.locale,
                template_id=None if input.template_id is None else str(input.template_id),
                title=input.title,
                variables=_values(input.variables),
            ),
        )
        return GenerationJob.from_record(job)


schema = SubgraphSchema(
    query=Query,
    mutation=Mutation,
    types=[ContentItem, Product, User],
    extensions=subgraph_extensions(),
)
