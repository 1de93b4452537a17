"""Plain records of the demo dataset; no storage or API concerns.

Every id is a stable, readable string (``prd-liberty-4-nc``, ``usr-0042``) so other domains can
refer to a record by id, exactly as they do through federation keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime  # noqa: TC003 - dataclass fields are evaluated at runtime


@dataclass(frozen=True, slots=True)
class DemoCategory:
    id: str
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class DemoProduct:
    id: str
    slug: str
    name: str
    category_id: str
    series: str
    sku: str
    description: str
    price_cents: int
    released_at: datetime
    specs: dict[str, str]
    firmware_versions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoFeature:
    id: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class DemoKnownIssue:
    id: str
    title: str
    description: str
    severity: str  # low | medium | high | critical
    status: str  # open | investigating | resolved
    symptoms: tuple[str, ...]
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class DemoSolution:
    id: str
    title: str
    steps: tuple[str, ...]  # in order
    success_rate: float  # 0..1


@dataclass(frozen=True, slots=True)
class DemoArticle:
    id: str
    slug: str
    title: str
    kind: str  # faq | guide | troubleshooting | release_note
    body: str  # markdown
    locale: str  # en-US, de-DE, ...
    status: str  # draft | published
    tags: tuple[str, ...]
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class DemoUser:
    id: str
    email: str
    name: str
    role: str  # admin | editor | support_agent | analyst | partner | customer
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DemoApiKey:
    """A partner's API key; ``key`` is the full secret (demo only: real keys are shown once, never stored)."""

    id: str
    name: str
    key: str  # kcp_<id>_<secret>
    scopes: tuple[str, ...]
    created_at: datetime
    created_by: str  # a DemoUser id (admin)
    revoked_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class DemoPartner:
    """A partner organisation: its people (users with the partner role) and its API keys."""

    id: str
    name: str
    domain: str
    created_at: datetime
    member_ids: tuple[str, ...]
    api_keys: tuple[DemoApiKey, ...]


@dataclass(frozen=True, slots=True)
class DemoRevision:
    id: str
    number: int  # 1, 2, ...
    body: str
    author_id: str  # a DemoUser id (editor)
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DemoReview:
    """One move of a content item's review workflow."""

    from_status: str
    to_status: str
    by: str  # a DemoUser id (editor)
    at: datetime
    revision_number: int
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class DemoContentItem:
    id: str
    product_id: str
    kind: str  # product_description | marketing_email | social_post | support_macro | faq_draft
    title: str
    locale: str
    status: str  # draft | in_review | approved | published
    revisions: tuple[DemoRevision, ...]
    reviews: tuple[DemoReview, ...] = ()  # the workflow moves that led to `status`, oldest first
    translation_of: str | None = None  # the original DemoContentItem id, for translations
    template_id: str | None = None  # the DemoContentTemplate it was filled from


@dataclass(frozen=True, slots=True)
class DemoContentTemplate:
    id: str
    name: str
    kind: str
    locale: str
    description: str
    body: str  # with {{variable}} placeholders
    created_by: str  # a DemoUser id (editor)
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DemoGenerationJob:
    id: str
    product_id: str
    kind: str
    locale: str
    status: str  # succeeded | failed
    provider: str  # template (the demo never calls an LLM)
    template_id: str | None
    content_item_id: str | None
    facts: tuple[str, ...]
    note: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DemoMessage:
    id: str
    author_id: str  # a DemoUser id: the customer or an agent
    body: str
    internal: bool  # an agent's internal note, never shown to the customer
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DemoRating:
    score: int  # CSAT 1..5
    comment: str | None
    rated_at: datetime


@dataclass(frozen=True, slots=True)
class DemoTicket:
    id: str
    subject: str
    description: str
    status: str  # open | pending | solved | closed
    priority: str  # low | normal | high | urgent
    channel: str  # email | chat | phone | web
    product_id: str
    customer_id: str
    assignee_id: str | None  # a support_agent, or None while unassigned
    created_at: datetime
    messages: tuple[DemoMessage, ...]
    tags: tuple[str, ...] = ()
    solved_at: datetime | None = None  # set for solved and closed tickets
    closed_at: datetime | None = None
    rating: DemoRating | None = None  # the customer's CSAT, for some solved or closed tickets


@dataclass(frozen=True, slots=True)
class DemoEvent:
    id: str
    kind: str  # page_view | search | search_click | article_view | article_feedback | ticket_created | ...
    occurred_at: datetime
    user_id: str | None
    product_id: str | None
    article_id: str | None
    query: str | None  # for searches
    result_count: int | None  # for searches
    helpful: bool | None  # for article feedback
    ticket_id: str | None = None  # ticket_created / ticket_solved
    content_id: str | None = None  # content_generated
    deflected: bool | None = None  # ticket_solved: solved before any agent replied
    provider: str | None = None  # content_generated: "template", "openai", "anthropic"


@dataclass(frozen=True, slots=True)
class DemoData:
    """The whole dataset, and the graph relations between knowledge records."""

    categories: tuple[DemoCategory, ...]
    products: tuple[DemoProduct, ...]
    features: tuple[DemoFeature, ...]
    known_issues: tuple[DemoKnownIssue, ...]
    solutions: tuple[DemoSolution, ...]
    articles: tuple[DemoArticle, ...]
    users: tuple[DemoUser, ...]
    content_items: tuple[DemoContentItem, ...]
    tickets: tuple[DemoTicket, ...]
    events: tuple[DemoEvent, ...]
    # Graph relations as (from id, to id[, position]) tuples.
    has_feature: tuple[tuple[str, str], ...] = field(default=())  # product -> feature
    compatible_with: tuple[tuple[str, str], ...] = field(default=())  # product -> product (accessory/pairing)
    affected_by: tuple[tuple[str, str], ...] = field(default=())  # product -> known issue
    resolved_by: tuple[tuple[str, str, int], ...] = field(default=())  # known issue -> solution, position
    documented_in: tuple[tuple[str, str], ...] = field(default=())  # solution -> article
    succeeds: tuple[tuple[str, str], ...] = field(default=())  # newer product -> older product
    # Auth: partner organisations with their API keys, and accounts an admin deactivated.
    partners: tuple[DemoPartner, ...] = field(default=())
    deactivated_user_ids: tuple[str, ...] = field(default=())
    content_templates: tuple[DemoContentTemplate, ...] = field(default=())
    generation_jobs: tuple[DemoGenerationJob, ...] = field(default=())
    # The one password every demo user logs in with (printed by `make dev`; demo only).
    demo_password: str = "soundcore-demo"  # noqa: S105 - published demo credential, not a secret
