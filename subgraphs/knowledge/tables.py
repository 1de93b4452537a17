"""Storage models of the knowledge records (never exposed as API types).

The relations between records are not columns here: they live in the knowledge graph.
"""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - SQLAlchemy resolves Mapped[] annotations at runtime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kcp.stores.columns import UtcDateTime


class Base(DeclarativeBase):
    """The knowledge subgraph's own metadata."""


class CategoryRow(Base):
    __tablename__ = "categories"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    slug: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class ProductRow(Base):
    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    slug: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category_id: Mapped[str] = mapped_column(ForeignKey("categories.id"), index=True)
    series: Mapped[str] = mapped_column(String(100))
    sku: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    price_cents: Mapped[int] = mapped_column(Integer)
    released_at: Mapped[datetime] = mapped_column(UtcDateTime())
    specs: Mapped[dict[str, str]] = mapped_column(JSON)
    firmware_versions: Mapped[list[str]] = mapped_column(JSON)


class FeatureRow(Base):
    __tablename__ = "features"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)


class KnownIssueRow(Base):
    __tablename__ = "known_issues"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    symptoms: Mapped[list[str]] = mapped_column(JSON)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SolutionRow(Base):
    __tablename__ = "solutions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    steps: Mapped[list[str]] = mapped_column(JSON)  # in order
    success_rate: Mapped[float] = mapped_column(Float)


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    body: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    tags: Mapped[list[str]] = mapped_column(JSON)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The number of its latest ArticleVersionRow.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class ArticleVersionRow(Base):
    """One immutable snapshot of an article, written by every create, edit and status change."""

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(16))  # created | edited | status_changed
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    tags: Mapped[list[str]] = mapped_column(JSON)
    author_id: Mapped[str | None] = mapped_column(String(64))  # a User id (auth); None for imported history
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FirmwareRow(Base):
    """One firmware version of one product; known issues point at the versions they affect."""

    __tablename__ = "firmware"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)  # "<product id>@<version>"
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    version: Mapped[str] = mapped_column(String(32))
    released_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ChunkRow(Base):
    """One passage of a published record, as retrieval and citations see it.

    ``start``/``end`` are character offsets into the source's text (an article's body; a
    solution's title and numbered steps; a known issue's title, description and symptoms), so a
    citation points at a passage a reader can open. ``key`` is the passage's id in the vector
    store; ``model`` names the embedding model its vector was made with ("" when it has none yet).
    """

    __tablename__ = "chunks"

    key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_kind: Mapped[str] = mapped_column(String(16))  # article | solution | known_issue
    source_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    locale: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))  # the source's title
    heading: Mapped[str] = mapped_column(String(300))  # the section's heading ("" for the lead)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(String(100), default="", server_default="")
