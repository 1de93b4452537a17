"""The content studio's part of the demo: review histories, FAQ drafts from generation jobs,
translations and templates, so every workflow state, relation and type has data.

Deterministic: no randomness beyond what the items already carry; stable ids continue the
``cnt-NNNN`` sequence of ``generate._build_content``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from demo.model import DemoContentItem, DemoContentTemplate, DemoGenerationJob, DemoReview, DemoRevision

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from demo.model import DemoProduct, DemoUser

MAX_ITEMS_PER_PRODUCT = 5
FAQ_EVERY = 3  # every third product gets a generated FAQ draft
TRANSLATE_EVERY = 3  # every third published product description gets a German version
TEMPLATE_NOTE = (
    "Written by the deterministic template generator from the built-in template of its kind (no "
    "OPENAI_API_KEY or ANTHROPIC_API_KEY is set): the product's facts from the knowledge base, filled in as they are."
)


@dataclass(frozen=True, slots=True)
class StudioContent:
    items: tuple[DemoContentItem, ...]
    templates: tuple[DemoContentTemplate, ...]
    jobs: tuple[DemoGenerationJob, ...]


def _reviews(item: DemoContentItem, editors: Sequence[DemoUser], index: int) -> tuple[DemoReview, ...]:
    """Moves that lead from draft to the item's status; items with several revisions were sent back once."""
    if item.status == "draft" and len(item.revisions) == 1:
        return ()
    author = item.revisions[-1].author_id
    rotated = [*editors[index % len(editors) :], *editors]
    reviewer = next((e.id for e in rotated if e.id != author), author)
    moves: list[DemoReview] = []
    first, last = item.revisions[0], item.revisions[-1]
    if len(item.revisions) > 1:
        at = first.created_at + timedelta(minutes=30)
        moves.append(DemoReview("draft", "in_review", first.author_id, at, 1))
        moves.append(
            DemoReview("in_review", "draft", reviewer, at + timedelta(minutes=30), 1, "Please tighten the opening.")
        )
    if item.status == "draft":
        return tuple(moves)
    steps = {"in_review": 1, "approved": 2, "published": 3}[item.status]
    chain = [("draft", "in_review", author, None), ("in_review", "approved", reviewer, "Approved."),
             ("approved", "published", reviewer, None)][:steps]  # fmt: skip
    at = last.created_at
    for from_status, to_status, by, comment in chain:
        at += timedelta(hours=2)
        moves.append(DemoReview(from_status, to_status, by, at, last.number, comment))
    return tuple(moves)


def _publish_one_each(items: Sequence[DemoContentItem]) -> list[DemoContentItem]:
    """Every product shows some copy to anonymous readers: a product with nothing published gets
    its first approved item published."""
    published = {i.product_id for i in items if i.status == "published"}
    chosen: set[str] = set()
    for item in items:
        if item.status == "approved" and item.product_id not in published and item.product_id not in chosen:
            chosen.add(item.id)
            published.add(item.product_id)
    return [replace(i, status="published") if i.id in chosen else i for i in items]


def _faq_body(product: DemoProduct) -> str:
    specs = "\n".join(f"- {name}: {value}" for name, value in product.specs.items())
    return (
        f"## What is {product.name}?\n{product.description}\n\n## What are its specifications?\n{specs}\n\n"
        f"## Which firmware is current?\n{product.firmware_versions[-1] if product.firmware_versions else 'n/a'}"
    )


def _german(item: DemoContentItem, product: DemoProduct) -> str:
    return f"{product.name}: {product.description}\n\n(Deutsche Fassung von {item.title}.)"


def studio_content(
    items: Sequence[DemoContentItem], products: Sequence[DemoProduct], editors: Sequence[DemoUser], start: datetime
) -> StudioContent:
    """The items with review histories, plus FAQ drafts, translations, templates and jobs."""
    by_product: dict[str, int] = {}
    for item in items:
        by_product[item.product_id] = by_product.get(item.product_id, 0) + 1
    products_by_id = {p.id: p for p in products}
    result = [replace(item, reviews=_reviews(item, editors, n)) for n, item in enumerate(_publish_one_each(items))]
    revision_count = sum(len(item.revisions) for item in items)
    jobs: list[DemoGenerationJob] = []

    def next_ids() -> tuple[str, str]:
        nonlocal revision_count
        revision_count += 1
        return f"cnt-{len(result) + 1:04d}", f"rev-{revision_count:05d}"

    published_descriptions = [i for i in result if i.kind == "product_description" and i.status == "published"]
    for n, original in enumerate(published_descriptions):
        product = products_by_id[original.product_id]
        if n % TRANSLATE_EVERY or by_product[product.id] >= MAX_ITEMS_PER_PRODUCT:
            continue
        item_id, rev_id = next_ids()
        written = original.revisions[-1].created_at + timedelta(days=2)
        author = original.revisions[-1].author_id
        translation = DemoContentItem(
            id=item_id, product_id=product.id, kind=original.kind, title=f"{product.name} Produktbeschreibung",
            locale="de-DE", status="published",
            revisions=(DemoRevision(rev_id, 1, _german(original, product), author, written),),
            translation_of=original.id,
        )  # fmt: skip
        result.append(replace(translation, reviews=_reviews(translation, editors, n)))
        by_product[product.id] += 1

    for n, product in enumerate(products):
        if n % FAQ_EVERY or by_product.get(product.id, 0) >= MAX_ITEMS_PER_PRODUCT:
            continue
        item_id, rev_id = next_ids()
        editor = editors[n % len(editors)]
        # Generated during the demo year, so generation metrics have them.
        written = max(product.released_at, start) + timedelta(days=(n * 7) % 280, hours=9)
        job_id = f"gen-{len(jobs) + 1:04d}"
        facts = (f"name: {product.name}", f"series: {product.series}", f"description: {product.description}",
                 *(f"spec: {k} = {v}" for k, v in product.specs.items()))  # fmt: skip
        result.append(
            DemoContentItem(
                id=item_id, product_id=product.id, kind="faq_draft", title=f"{product.name} FAQ draft",
                locale="en-US", status="draft",
                revisions=(DemoRevision(rev_id, 1, _faq_body(product), editor.id, written),),
            )
        )  # fmt: skip
        jobs.append(
            DemoGenerationJob(
                id=job_id, product_id=product.id, kind="faq_draft", locale="en-US", status="succeeded",
                provider="template", template_id=None, content_item_id=item_id, facts=facts, note=TEMPLATE_NOTE,
                created_by=editor.id, created_at=written,
            )
        )  # fmt: skip
        by_product[product.id] = by_product.get(product.id, 0) + 1

    author = editors[0].id
    created = items[0].revisions[0].created_at
    templates = (
        DemoContentTemplate(
            "tpl-0001", "Launch post", "social_post", "en-US", "A launch post with a tagline of your own.",
            "{{product_name}} is here: {{tagline}} #{{product_tag}} #soundcore", author, created,
        ),
        DemoContentTemplate(
            "tpl-0002", "Pairing help macro", "support_macro", "en-US", "Answer to pairing questions.",
            "Hi {{customer_name}},\n\nthanks for writing about your {{product_name}}. Please update to firmware "
            "{{latest_firmware}}, put both earbuds in the case for 10 seconds and pair again.\n\n{{agent_name}}",
            author, created,
        ),
        DemoContentTemplate(
            "tpl-0003", "Product page", "product_description", "en-US", "The standard product page.",
            "# {{product_name}}\n\n{{product_description}}\n\n## Highlights\n{{feature_list}}\n\n"
            "## Specifications\n{{spec_list}}",
            author, created,
        ),
    )  # fmt: skip
    return StudioContent(items=tuple(result), templates=templates, jobs=tuple(jobs))
