"""The demo data exercises every content and analytics type, relation and state."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pytest

from demo.generate import build
from subgraphs.content.templates.placeholders import variables_of

if TYPE_CHECKING:
    from demo.model import DemoData


@pytest.fixture(scope="module")
def data() -> DemoData:
    return build()


def test_every_content_kind_status_and_relation_is_present(data: DemoData) -> None:
    items = {i.id: i for i in data.content_items}
    assert {i.kind for i in items.values()} == {
        "product_description", "marketing_email", "social_post", "support_macro", "faq_draft",
    }  # fmt: skip
    assert {i.status for i in items.values()} == {"draft", "in_review", "approved", "published"}
    translations = [i for i in items.values() if i.translation_of is not None]
    assert translations
    for t in translations:
        original = items[t.translation_of or ""]
        assert (original.product_id, original.kind) == (t.product_id, t.kind)
        assert original.locale != t.locale
    # Sent back once, then through to the end: both kinds of history exist.
    assert any(r.to_status == "draft" for i in items.values() for r in i.reviews)
    for item in items.values():
        if item.reviews:
            assert item.reviews[-1].to_status == item.status
            assert item.reviews[0].from_status == "draft"
            assert all(a.to_status == b.from_status for a, b in zip(item.reviews, item.reviews[1:], strict=False))
            assert [r.at for r in item.reviews] == sorted(r.at for r in item.reviews)
            assert item.reviews[0].at > item.revisions[0].created_at
        else:
            assert item.status == "draft"


def test_templates_and_generation_jobs(data: DemoData) -> None:
    assert len(data.content_templates) == 3
    assert all(variables_of(t.body) for t in data.content_templates)
    items = {i.id: i for i in data.content_items}
    assert data.generation_jobs
    for job in data.generation_jobs:
        assert job.provider == "template"
        assert items[job.content_item_id or ""].kind == job.kind
        assert any(job.product_id in fact or "name:" in fact for fact in job.facts)


def test_analytics_events_carry_ids_and_deflection(data: DemoData) -> None:
    kinds = Counter(e.kind for e in data.events)
    assert kinds["ticket_solved"] > 0
    tickets = {t.id for t in data.tickets}
    assert all(e.ticket_id in tickets for e in data.events if e.kind in ("ticket_created", "ticket_solved"))
    solved = [e for e in data.events if e.kind == "ticket_solved"]
    assert {e.deflected for e in solved} == {True, False}
    items = {i.id for i in data.content_items}
    generated = [e for e in data.events if e.kind == "content_generated"]
    assert all(e.content_id in items and e.provider == "template" for e in generated)
