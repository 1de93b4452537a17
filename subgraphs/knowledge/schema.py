"""The knowledge subgraph's schema (Federation 2): catalog, troubleshooting, articles, graph, search."""

from __future__ import annotations

import functools
from typing import Annotated

import strawberry
from strawberry.extensions import AddValidationRules

from kcp.pagination import MAX_PAGE_SIZE, Connection, connection
from kcp.service import SubgraphSchema, subgraph_extensions
from subgraphs.knowledge.answers.types import Answer
from subgraphs.knowledge.articles.service import ArticleDraft, ArticleEdit
from subgraphs.knowledge.articles.types import (
    Article,
    ArticleKind,
    ArticleStatus,
    CreateArticleInput,
    EditArticleInput,
)
from subgraphs.knowledge.articles.workflow import Status
from subgraphs.knowledge.catalog.repository import ProductOrder
from subgraphs.knowledge.catalog.types import Category, Feature, Product, ProductSort
from subgraphs.knowledge.context import Info  # noqa: TC001 - Strawberry reads annotations at runtime
from subgraphs.knowledge.relations.limits import RelationDepthLimit
from subgraphs.knowledge.relations.repository import MAX_PATH_DEPTH
from subgraphs.knowledge.relations.schema import RELATIONS_BY_NAME
from subgraphs.knowledge.relations.types import GraphLink, KnowledgePath, LinkInput, load_nodes
from subgraphs.knowledge.retrieval.errors import FeatureDisabledError
from subgraphs.knowledge.retrieval.notes import RetrievalNotes
from subgraphs.knowledge.retrieval.service import Mode
from subgraphs.knowledge.search.repository import ARTICLE, SOLUTION, SearchFilters
from subgraphs.knowledge.search.types import SearchHit, SearchMode, SearchResultKind
from subgraphs.knowledge.tickets.types import Ticket
from subgraphs.knowledge.troubleshooting.types import IssueStatus, KnownIssue, Severity, Solution

PAGE = f"`first` is 1 to {MAX_PAGE_SIZE}; `after` is the `endCursor` of the previous page."
PRODUCTS_DESCRIPTION = (
    "Products, filtered by category slug, series name (any case) and feature id, in `sort` order. " + PAGE
)
ARTICLES_DESCRIPTION = (
    "Articles, newest first; published ones unless `statuses` says otherwise (which needs `knowledge:read`). " + PAGE
)
SEARCH_DESCRIPTION = (
    "Published articles and solutions, best first, with the matches highlighted. `mode` (default HYBRID; "
    "KEYWORD when ENABLE_RAG_ENGINE is off): KEYWORD needs every word of `query` (also as a word prefix, any "
    "case, stemmed); SEMANTIC finds passages by meaning; HYBRID fuses both and favours records linked to a "
    "product the query names. Without vectors (not indexed yet, embedder or vector store down) HYBRID answers "
    "as KEYWORD and `extensions.retrieval.degraded` says why. `tag`, `locale` and `articleKind` narrow the "
    "articles; `product` keeps the solutions of its known issues and the articles documenting them. " + PAGE
)
ASK_DESCRIPTION = (
    "An answer to a customer's question written from the published knowledge base only, every sentence "
    "cited (record, version, quoted passage, offsets). `known: false` when nothing relevant was found (the "
    "question is then recorded as a content gap). `productId` favours that product's records; `locale` "
    "prefers passages in it (any locale when the corpus has none). FEATURE_DISABLED when ENABLE_RAG_ENGINE is off."
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
    async def products(  # noqa: PLR0913, PLR0917 - GraphQL arguments: the filters of one listing
        self,
        info: Info,
        category: str | None = None,
        series: str | None = None,
        feature: strawberry.ID | None = None,
        sort: ProductSort = ProductSort.NAME,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Product] | None:
        rows, total, window = await info.context.catalog.products(
            category_slug=category,
            series=series,
            feature_id=None if feature is None else str(feature),
            sort=ProductOrder(sort.value),
            first=first,
            after=after,
        )
        return connection(rows, window, total, Product.from_model)

    @strawberry.field
    async def categories(self, info: Info) -> list[Category] | None:
        return [Category.from_model(row) for row in await info.context.catalog.categories()]

    @strawberry.field(description="Every feature, by name.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def features(self, info: Info) -> list[Feature] | None:
        return [Feature.from_model(row) for row in await info.context.catalog.features()]

    @strawberry.field
    async def feature(self, info: Info, id: strawberry.ID) -> Feature | None:  # noqa: A002 - GraphQL argument name
        row = await info.context.catalog.feature(str(id))
        return None if row is None else Feature.from_model(row)

    @strawberry.field
    async def known_issue(self, info: Info, id: strawberry.ID) -> KnownIssue | None:  # noqa: A002 - GraphQL argument name
        row = await info.context.troubleshooting.known_issue(str(id))
        return None if row is None else KnownIssue.from_model(row)

    @strawberry.field(description="Known issues, most recently reported first. " + PAGE)  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def known_issues(
        self,
        info: Info,
        severity: Severity | None = None,
        status: IssueStatus | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[KnownIssue] | None:
        rows, total, window = await info.context.troubleshooting.known_issues(
            severity=None if severity is None else severity.value,
            status=None if status is None else status.value,
            first=first,
            after=after,
        )
        return connection(rows, window, total, KnownIssue.from_model)

    @strawberry.field
    async def solution(self, info: Info, id: strawberry.ID) -> Solution | None:  # noqa: A002 - GraphQL argument name
        row = await info.context.loaders.troubleshooting.solution.load(str(id))
        return None if row is None else Solution.from_model(row)

    @strawberry.field(description="An article; unpublished ones only with `knowledge:read`.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def article(self, info: Info, id: strawberry.ID) -> Article | None:  # noqa: A002 - GraphQL argument name
        row = await info.context.articles.article(str(id))
        return None if row is None else Article.from_model(row)

    @strawberry.field(description="An article by slug; unpublished ones only with `knowledge:read`.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def article_by_slug(self, info: Info, slug: str) -> Article | None:
        row = await info.context.articles.article_by_slug(slug)
        return None if row is None else Article.from_model(row)

    @strawberry.field(description=ARTICLES_DESCRIPTION)  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def articles(  # noqa: PLR0913, PLR0917 - GraphQL arguments: the filters of one listing
        self,
        info: Info,
        kind: ArticleKind | None = None,
        statuses: list[ArticleStatus] | None = None,
        locale: str | None = None,
        tag: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Article] | None:
        rows, total, window = await info.context.articles.articles(
            kind=None if kind is None else kind.value,
            statuses=[Status(status.value) for status in statuses or [ArticleStatus.PUBLISHED]],
            locale=locale,
            tag=tag,
            first=first,
            after=after,
        )
        return connection(rows, window, total, Article.from_model)

    @strawberry.field(description=SEARCH_DESCRIPTION)  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def search(  # noqa: PLR0913, PLR0917 - GraphQL arguments: the filters of one search
        self,
        info: Info,
        query: str,
        kinds: list[SearchResultKind] | None = None,
        article_kind: ArticleKind | None = None,
        locale: str | None = None,
        tag: str | None = None,
        product: strawberry.ID | None = None,
        first: int = 10,
        after: str | None = None,
        mode: SearchMode | None = None,
    ) -> Connection[SearchHit] | None:
        if mode is None:
            chosen = Mode.HYBRID if info.context.rag else Mode.KEYWORD
        else:
            chosen = Mode(mode.name.lower())
            if chosen is not Mode.KEYWORD and not info.context.rag:
                raise FeatureDisabledError.rag(f"`search(mode: {mode.name})`")
        filters = SearchFilters(
            kinds=tuple(kind.value for kind in kinds) if kinds else (ARTICLE, SOLUTION),
            article_kind=None if article_kind is None else article_kind.value,
            locale=locale,
            tag=tag,
        )
        hits, total, window, degraded = await info.context.search.search(
            query, filters, first=first, after=after, product_id=None if product is None else str(product), mode=chosen
        )
        if degraded is not None:
            info.context.notes["degraded"] = f"KEYWORD_ONLY:{degraded}"
        nodes = await load_nodes(
            info, [("Article" if hit.kind == ARTICLE else "Solution", hit.record_id) for hit in hits]
        )
        found = [
            SearchHit(result=node, score=hit.score, title_highlight=hit.title_highlight, highlight=hit.highlight)
            for hit, node in zip(hits, nodes, strict=True)
            if isinstance(node, Article | Solution)  # None: unpublished since it was indexed
        ]
        return connection(found, window, total, lambda hit: hit)

    @strawberry.field(description=ASK_DESCRIPTION)  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def ask(
        self,
        info: Info,
        question: str,
        product_id: strawberry.ID | None = None,
        locale: str | None = None,
    ) -> Answer | None:
        result = await info.context.answers.ask(question, None if product_id is None else str(product_id), locale)
        if result.degraded:
            info.context.notes["degraded"] = ",".join(result.degraded)
        return Answer.from_model(result)

    @strawberry.field(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description="A shortest chain of relations between two records (any kind, by id), at most "
        f"`maxDepth` (1 to {MAX_PATH_DEPTH}) relations long; null when there is none that short."
    )
    async def path(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        max_depth: int = 4,
    ) -> KnowledgePath | None:
        if not info.context.knowledge_graph:
            raise FeatureDisabledError.graph("`path`")
        pairs = await info.context.relations.path(str(from_), str(to), max_depth)
        if pairs is None:
            return None
        nodes = await load_nodes(info, pairs)
        if any(node is None for node in nodes):  # the path runs through an unpublished article
            return None
        return KnowledgePath(length=len(pairs) - 1, nodes=[node for node in nodes if node is not None])


def _nodes_of(link: LinkInput) -> tuple[str, str]:
    relation = RELATIONS_BY_NAME[link.relation.value]
    return relation.source, relation.target


@strawberry.type
class Mutation:
    @strawberry.mutation(description="A new DRAFT article at version 1 (needs `knowledge:write`).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def create_article(self, info: Info, input: CreateArticleInput) -> Article:  # noqa: A002 - GraphQL argument name
        row = await info.context.articles.create(
            ArticleDraft(
                slug=input.slug,
                title=input.title,
                kind=input.kind.value,
                body=input.body,
                locale=input.locale,
                tags=input.tags,
            )
        )
        return Article.from_model(row)

    @strawberry.mutation(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description="Save a new version with the given fields changed (needs `knowledge:write`); with "
        "`expectedVersion`, refused when someone saved another version first."
    )
    async def edit_article(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 - GraphQL argument name
        input: EditArticleInput,  # noqa: A002 - GraphQL argument name
        expected_version: int | None = None,
    ) -> Article:
        edit = ArticleEdit(title=input.title, body=input.body, locale=input.locale, tags=input.tags)
        return Article.from_model(await info.context.articles.edit(str(id), edit, expected_version))

    @strawberry.mutation(description="Move an article through its workflow (needs `knowledge:write`).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def transition_article(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 - GraphQL argument name
        to: ArticleStatus,
        expected_version: int | None = None,
    ) -> Article:
        row = await info.context.articles.transition(str(id), Status(to.value), expected_version)
        return Article.from_model(row)

    @strawberry.mutation(description="Link two records in the knowledge graph (needs `knowledge:write`).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def link_records(self, info: Info, input: LinkInput) -> GraphLink:  # noqa: A002 - GraphQL argument name
        relation = RELATIONS_BY_NAME[input.relation.value]
        source, target = str(input.source_id), str(input.target_id)
        changed = await info.context.relations.link(relation, source, target, input.position)
        return await _graph_link(info, input, changed=changed)

    @strawberry.mutation(description="Remove a link between two records (needs `knowledge:write`).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def unlink_records(self, info: Info, input: LinkInput) -> GraphLink:  # noqa: A002 - GraphQL argument name
        relation = RELATIONS_BY_NAME[input.relation.value]
        changed = await info.context.relations.unlink(relation, str(input.source_id), str(input.target_id))
        return await _graph_link(info, input, changed=changed)


async def _graph_link(info: Info, link: LinkInput, *, changed: bool) -> GraphLink:
    source_label, target_label = _nodes_of(link)
    source, target = await load_nodes(info, [(source_label, str(link.source_id)), (target_label, str(link.target_id))])
    return GraphLink(relation=link.relation, source=source, target=target, position=link.position, changed=changed)


# Nested list relations multiply the work: a few bytes of `compatibleWith { compatibleWith { ... } } }`
# would keep the subgraph busy for minutes, so such documents are refused before they run.
schema = SubgraphSchema(
    query=Query,
    mutation=Mutation,
    types=[Product, Article, Ticket],
    extensions=[*subgraph_extensions(), functools.partial(AddValidationRules, [RelationDepthLimit]), RetrievalNotes],
)
