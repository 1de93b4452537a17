"""GraphQL types of the catalog; ``Product`` is the federation entity other subgraphs extend."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - Strawberry reads annotations at runtime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from subgraphs.knowledge.articles.types import Article
from subgraphs.knowledge.catalog.repository import ProductOrder
from subgraphs.knowledge.context import Info  # noqa: TC001 - Strawberry reads annotations at runtime
from subgraphs.knowledge.relations.repository import Traversal
from subgraphs.knowledge.troubleshooting.types import IssueStatus, KnownIssue, Severity

if TYPE_CHECKING:
    from subgraphs.knowledge.relations.types import NodeKind, RelatedRecord
    from subgraphs.knowledge.tables import CategoryRow, FeatureRow, FirmwareRow, ProductRow


@strawberry.enum(description="Order of a product list; ties by id.")
class ProductSort(Enum):
    NAME = ProductOrder.NAME.value
    NEWEST = ProductOrder.NEWEST.value
    OLDEST = ProductOrder.OLDEST.value
    PRICE_LOW_TO_HIGH = ProductOrder.PRICE_LOW_TO_HIGH.value
    PRICE_HIGH_TO_LOW = ProductOrder.PRICE_HIGH_TO_LOW.value


@strawberry.type(description="One technical specification, e.g. `Battery life` = `50 h`.")
class Spec:
    name: str
    value: str


@strawberry.type
class Category:
    id: strawberry.ID
    slug: str
    name: str

    @classmethod
    def from_model(cls, row: CategoryRow) -> Category:
        return cls(id=strawberry.ID(row.id), slug=row.slug, name=row.name)

    @strawberry.field(description="The category's products, by id.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def products(self, info: Info) -> list[Product]:
        rows = await info.context.loaders.catalog.products_in_category.load(self.id)
        return [Product.from_model(row) for row in rows]


@strawberry.type
class Feature:
    id: strawberry.ID
    name: str
    description: str

    @classmethod
    def from_model(cls, row: FeatureRow) -> Feature:
        return cls(id=strawberry.ID(row.id), name=row.name, description=row.description)

    @strawberry.field(description="Products that have this feature.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def products(self, info: Info) -> list[Product]:
        loaders = info.context.loaders
        rows = await loaders.relations.follow(Traversal.PRODUCTS_WITH_FEATURE, self.id, loaders.catalog.product)
        return [Product.from_model(row) for row in rows]


@strawberry.type(description="One firmware version of one product.")
class FirmwareVersion:
    id: strawberry.ID = strawberry.field(description="`<product id>@<version>`.")
    version: str
    released_at: dt.datetime
    product_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, row: FirmwareRow) -> FirmwareVersion:
        return cls(
            id=strawberry.ID(row.id), version=row.version, released_at=row.released_at, product_id=row.product_id
        )

    @strawberry.field
    async def product(self, info: Info) -> Product:
        row = await info.context.loaders.catalog.product.load(self.product_id)
        if row is None:  # the foreign key makes this unreachable
            msg = f"firmware {self.id} has no product {self.product_id}"
            raise LookupError(msg)
        return Product.from_model(row)

    @strawberry.field(description="Known issues seen on this firmware.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def known_issues(self, info: Info) -> list[KnownIssue]:
        loaders = info.context.loaders
        issues = loaders.troubleshooting.known_issue
        rows = await loaders.relations.follow(Traversal.ISSUES_OF_FIRMWARE, self.id, issues)
        return [KnownIssue.from_model(row) for row in rows]


@strawberry.federation.type(keys=["id"], description="A product of the catalog.")
class Product:
    id: strawberry.ID
    slug: str
    name: str
    series: str
    sku: str
    description: str
    price_cents: int = strawberry.field(description="List price in US cents.")
    released_at: dt.datetime
    specs: list[Spec]
    firmware_versions: list[str] = strawberry.field(description="Published firmware versions, oldest first.")
    category_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, row: ProductRow) -> Product:
        return cls(
            id=strawberry.ID(row.id),
            slug=row.slug,
            name=row.name,
            series=row.series,
            sku=row.sku,
            description=row.description,
            price_cents=row.price_cents,
            released_at=row.released_at,
            specs=[Spec(name=name, value=value) for name, value in row.specs.items()],
            firmware_versions=list(row.firmware_versions),
            category_id=row.category_id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Product | None:  # noqa: A002 - the key field's name
        row = await info.context.loaders.catalog.product.load(str(id))
        return None if row is None else cls.from_model(row)

    @strawberry.field
    async def category(self, info: Info) -> Category:
        row = await info.context.loaders.catalog.category.load(self.category_id)
        if row is None:  # the foreign key makes this unreachable
            msg = f"product {self.id} has no category {self.category_id}"
            raise LookupError(msg)
        return Category.from_model(row)

    @strawberry.field
    async def features(self, info: Info) -> list[Feature]:
        loaders = info.context.loaders
        rows = await loaders.relations.follow(Traversal.FEATURES_OF_PRODUCT, self.id, loaders.catalog.feature)
        return [Feature.from_model(row) for row in rows]

    @strawberry.field(description="Known issues affecting the product, optionally filtered.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def known_issues(
        self, info: Info, severity: Severity | None = None, status: IssueStatus | None = None
    ) -> list[KnownIssue]:
        loaders = info.context.loaders
        rows = await loaders.relations.follow(Traversal.ISSUES_OF_PRODUCT, self.id, loaders.troubleshooting.known_issue)
        return [
            KnownIssue.from_model(row)
            for row in rows
            if (severity is None or row.severity == severity.value) and (status is None or row.status == status.value)
        ]

    @strawberry.field(description="Products and accessories this product works with.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def compatible_with(self, info: Info) -> list[Product]:
        loaders = info.context.loaders
        rows = await loaders.relations.follow(Traversal.COMPATIBLE_WITH, self.id, loaders.catalog.product)
        return [Product.from_model(row) for row in rows]

    @strawberry.field(description="Accessories made for this product (cases, ear tips, cables, chargers).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def accessories(self, info: Info) -> list[Product]:
        loaders = info.context.loaders
        rows = await loaders.relations.follow(Traversal.ACCESSORIES, self.id, loaders.catalog.product)
        return [Product.from_model(row) for row in rows]

    @strawberry.field(description="For an accessory: the products it is made for.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def accessory_for(self, info: Info) -> list[Product]:
        loaders = info.context.loaders
        rows = await loaders.relations.follow(Traversal.ACCESSORY_FOR, self.id, loaders.catalog.product)
        return [Product.from_model(row) for row in rows]

    @strawberry.field(description="Firmware versions with their release dates, oldest first.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def firmware(self, info: Info) -> list[FirmwareVersion]:
        rows = await info.context.loaders.catalog.firmware_of_product.load(self.id)
        return [FirmwareVersion.from_model(row) for row in rows]

    @strawberry.field(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description="Everything within `depth` (1 to 3) relations of this product, nearest first; "
        "`kinds` keeps only those kinds of record; at most `first` (1 to 50) of them."
    )
    async def related(
        self,
        info: Info,
        depth: int = 1,
        kinds: list[Annotated[NodeKind, strawberry.lazy("subgraphs.knowledge.relations.types")]] | None = None,
        first: int = 20,
    ) -> list[Annotated[RelatedRecord, strawberry.lazy("subgraphs.knowledge.relations.types")]]:
        return await info.context.upper.related(info, self.id, depth=depth, kinds=kinds, first=first)

    @strawberry.field(description="The newer product that succeeds this one.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def successor(self, info: Info) -> Product | None:
        loaders = info.context.loaders
        rows = await loaders.relations.follow(Traversal.SUCCESSORS, self.id, loaders.catalog.product)
        return Product.from_model(rows[0]) if rows else None

    @strawberry.field(description="The older product this one succeeds.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def predecessor(self, info: Info) -> Product | None:
        loaders = info.context.loaders
        rows = await loaders.relations.follow(Traversal.PREDECESSORS, self.id, loaders.catalog.product)
        return Product.from_model(rows[0]) if rows else None

    @strawberry.field(description="Published articles documenting the solutions of the product's known issues.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def articles(self, info: Info) -> list[Article]:
        loaders = info.context.loaders
        rows = await loaders.relations.follow(
            Traversal.ARTICLES_OF_PRODUCT, self.id, loaders.articles.published_article
        )
        return [Article.from_model(row) for row in rows]
