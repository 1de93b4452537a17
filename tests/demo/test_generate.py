"""The demo dataset: sizes, referential integrity, uniqueness and determinism."""

from __future__ import annotations

import hashlib
import itertools
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import demo
from demo import texts
from demo.generate import EPOCH, WINDOW_END, build

if TYPE_CHECKING:
    from demo.model import DemoData

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data() -> DemoData:
    return build()


def _digest_in_subprocess() -> str:
    # Calls `demo.generate()` twice: the second call must still reach the function, not the submodule.
    code = "import hashlib, demo; demo.generate(); print(hashlib.sha256(repr(demo.generate()).encode()).hexdigest())"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_generate_is_cached_build(data: DemoData) -> None:
    assert demo.generate() is data
    assert build() is data


def test_identical_across_processes(data: DemoData) -> None:
    here = hashlib.sha256(repr(data).encode()).hexdigest()
    assert _digest_in_subprocess() == here
    assert _digest_in_subprocess() == here


def test_sizes(data: DemoData) -> None:
    assert len(data.products) >= 40
    assert len(data.categories) >= 5
    assert 25 <= len(data.features) <= 40
    assert len(data.known_issues) >= 150
    assert len(data.articles) >= 300
    assert len(data.tickets) >= 500
    assert len(data.events) >= 10_000
    assert data.demo_password == "soundcore-demo"  # noqa: S105 - the documented demo login, not a secret


def test_categories_and_products(data: DemoData) -> None:
    assert {c.id for c in data.categories} >= {
        "cat-earbuds",
        "cat-headphones",
        "cat-speakers",
        "cat-power",
        "cat-accessories",
    }
    per_category = Counter(p.category_id for p in data.products)
    assert all(per_category[c.id] > 0 for c in data.categories)
    by_slug = {p.slug: p for p in data.products}
    assert by_slug["liberty-4-nc"].id == "prd-liberty-4-nc"
    assert by_slug["liberty-4-nc"].firmware_versions
    for p in data.products:
        assert p.id == f"prd-{p.slug}"
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p.slug)
        assert p.price_cents > 0
        assert p.specs
        assert p.description
        assert p.released_at.tzinfo is not None
        assert p.released_at < EPOCH


def test_ids_are_unique_and_well_formed(data: DemoData) -> None:
    patterns = {
        "categories": r"cat-[a-z]+",
        "products": r"prd-[a-z0-9-]+",
        "features": r"ftr-[a-z0-9-]+",
        "known_issues": r"kis-\d{4}",
        "solutions": r"sol-\d{4}",
        "articles": r"art-\d{4}",
        "users": r"usr-\d{4}",
        "content_items": r"cnt-\d{4}",
        "tickets": r"tkt-\d{5}",
        "events": r"evt-\d{6}",
    }
    for name, pattern in patterns.items():
        ids = [r.id for r in getattr(data, name)]
        assert len(ids) == len(set(ids)), name
        assert all(re.fullmatch(pattern, i) for i in ids), name
    revisions = [r.id for c in data.content_items for r in c.revisions]
    messages = [m.id for t in data.tickets for m in t.messages]
    assert len(revisions) == len(set(revisions))
    assert len(messages) == len(set(messages))
    assert data.known_issues[0].id == "kis-0001"
    assert data.tickets[0].id == "tkt-00001"
    assert data.events[0].id == "evt-000001"


def test_unique_slugs_and_emails(data: DemoData) -> None:
    for records in (data.products, data.articles, data.categories):
        slugs = [r.slug for r in records]
        assert len(slugs) == len(set(slugs))
    emails = [u.email for u in data.users]
    assert len(emails) == len(set(emails))
    assert all(e == e.lower() and re.fullmatch(r"[a-z0-9._]+@[a-z0-9.-]+", e) for e in emails)


def test_relations_have_no_duplicates(data: DemoData) -> None:
    for name in ("has_feature", "compatible_with", "affected_by", "resolved_by", "documented_in", "succeeds"):
        edges = getattr(data, name)
        assert len(edges) == len(set(edges)), name
    assert all(a != b for a, b in data.compatible_with)
    assert all(a != b for a, b in data.succeeds)


def test_referential_integrity(data: DemoData) -> None:
    products = {p.id for p in data.products}
    features = {f.id for f in data.features}
    issues = {i.id for i in data.known_issues}
    solutions = {s.id for s in data.solutions}
    articles = {a.id for a in data.articles}
    users = {u.id: u for u in data.users}
    categories = {c.id for c in data.categories}
    assert all(p.category_id in categories for p in data.products)
    assert all(p in products and f in features for p, f in data.has_feature)
    assert all(a in products and b in products for a, b in data.compatible_with)
    assert all(a in products and b in products for a, b in data.succeeds)
    assert all(p in products and i in issues for p, i in data.affected_by)
    assert all(i in issues and s in solutions for i, s, _ in data.resolved_by)
    assert all(s in solutions and a in articles for s, a in data.documented_in)
    for item in data.content_items:
        assert item.product_id in products
        assert all(users[r.author_id].role == "editor" for r in item.revisions)
    for t in data.tickets:
        assert t.product_id in products
        assert users[t.customer_id].role == "customer"
        assert t.assignee_id is None or users[t.assignee_id].role == "support_agent"
        for m in t.messages:
            assert m.author_id in (t.customer_id, t.assignee_id)
            assert not m.internal or m.author_id == t.assignee_id
    for e in data.events:
        assert e.user_id is None or e.user_id in users
        assert e.product_id is None or e.product_id in products
        assert e.article_id is None or e.article_id in articles


def test_features_per_product(data: DemoData) -> None:
    per_product = Counter(p for p, _ in data.has_feature)
    assert all(3 <= per_product[p.id] <= 8 for p in data.products)
    used = {f for _, f in data.has_feature}
    assert len(used) == len(data.features)


def test_graph_relations_are_plausible(data: DemoData) -> None:
    assert ("prd-liberty-4-nc", "prd-liberty-3-pro") in data.succeeds
    categories = {p.id: p.category_id for p in data.products}
    for a, b in data.compatible_with:
        pair = {categories[a], categories[b]}
        assert categories[a] in ("cat-accessories", "cat-power") or pair == {"cat-speakers"}
    speakers = [(a, b) for a, b in data.compatible_with if categories[a] == categories[b] == "cat-speakers"]
    assert ("prd-boom-2", "prd-boom") in speakers
    assert ("prd-liberty-4-nc-charging-case", "prd-liberty-4-nc") in data.compatible_with


def test_issues_and_solutions(data: DemoData) -> None:
    affected = Counter(i for _, i in data.affected_by)
    assert all(1 <= affected[i.id] <= 3 for i in data.known_issues)
    positions: dict[str, list[int]] = {}
    for issue, _, position in data.resolved_by:
        positions.setdefault(issue, []).append(position)
    for i in data.known_issues:
        assert positions[i.id] == list(range(1, len(positions[i.id]) + 1))
        assert 1 <= len(positions[i.id]) <= 3
        assert i.severity in ("low", "medium", "high", "critical")
        assert i.status in ("open", "investigating", "resolved")
        assert i.symptoms
        assert i.reported_at < WINDOW_END
    assert {s for _, s, _ in data.resolved_by} == {s.id for s in data.solutions}
    for s in data.solutions:
        assert 3 <= len(s.steps) <= 7
        assert 0 < s.success_rate <= 1
    kinds = {a.id: a.kind for a in data.articles}
    documented = Counter(s for s, _ in data.documented_in)
    assert all(1 <= documented[s.id] <= 2 for s in data.solutions)
    assert all(kinds[a] == "troubleshooting" for _, a in data.documented_in)


def test_articles(data: DemoData) -> None:
    kinds = Counter(a.kind for a in data.articles)
    assert set(kinds) == {"faq", "guide", "troubleshooting", "release_note"}
    locales = Counter(a.locale for a in data.articles)
    assert locales.most_common(1)[0][0] == "en-US"
    assert {"de-DE", "fr-FR", "ja-JP"} <= set(locales)
    statuses = Counter(a.status for a in data.articles)
    assert statuses["published"] > statuses["draft"] > 0
    for a in data.articles:
        assert (a.status in ("published", "archived")) == (a.published_at is not None)
        assert a.published_at is None or a.published_at < WINDOW_END
        assert a.body.startswith("# ")
        assert a.tags


def test_users_and_roles(data: DemoData) -> None:
    roles = Counter(u.role for u in data.users)
    assert roles == {"admin": 3, "editor": 8, "support_agent": 15, "analyst": 5, "partner": 5, "customer": 200}
    by_email = {u.email: u.role for u in data.users}
    for role, email in (
        ("admin", "admin@soundcore.example"),
        ("editor", "editor@soundcore.example"),
        ("support_agent", "agent@soundcore.example"),
        ("analyst", "analyst@soundcore.example"),
        ("partner", "partner@soundcore.example"),
        ("customer", "customer@soundcore.example"),
    ):
        assert by_email[email] == role
    assert len({u.name for u in data.users}) == len(data.users)


def test_content_items(data: DemoData) -> None:
    per_product = Counter(c.product_id for c in data.content_items)
    assert all(2 <= per_product[p.id] <= 5 for p in data.products)
    names = {p.id: p.name for p in data.products}
    for c in data.content_items:
        assert c.kind in ("product_description", "marketing_email", "social_post", "support_macro", "faq_draft")
        assert c.status in ("draft", "in_review", "approved", "published")
        assert 1 <= len(c.revisions) <= 4
        assert [r.number for r in c.revisions] == list(range(1, len(c.revisions) + 1))
        times = [r.created_at for r in c.revisions]
        assert times == sorted(times)
        assert len(set(times)) == len(times)
        assert all(names[c.product_id] in r.body for r in c.revisions)


def test_tickets(data: DemoData) -> None:
    assert Counter(t.status for t in data.tickets).keys() == {"open", "pending", "solved", "closed"}
    assert Counter(t.priority for t in data.tickets).keys() == {"low", "normal", "high", "urgent"}
    assert Counter(t.channel for t in data.tickets).keys() == {"email", "chat", "phone", "web"}
    assert any(t.assignee_id is None for t in data.tickets)
    assert all(t.assignee_id is not None for t in data.tickets if t.status != "open")
    assert any(m.internal for t in data.tickets for m in t.messages)
    demo_customer = next(u.id for u in data.users if u.email == "customer@soundcore.example")
    assert sum(t.customer_id == demo_customer for t in data.tickets) >= 5
    for t in data.tickets:
        assert EPOCH <= t.created_at < WINDOW_END
        assert 1 <= len(t.messages) <= 6
        assert t.messages[0].author_id == t.customer_id
        assert t.messages[0].created_at >= t.created_at
        times = [m.created_at for m in t.messages]
        assert all(a < b for a, b in itertools.pairwise(times))
        public = [m.author_id for m in t.messages if not m.internal]
        assert all(a != b for a, b in itertools.pairwise(public)) or t.assignee_id is None


def test_events(data: DemoData) -> None:
    kinds = Counter(e.kind for e in data.events)
    expected = {
        "page_view",
        "search",
        "search_click",
        "article_view",
        "article_feedback",
        "ticket_created",
        "ticket_solved",
        "content_generated",
    }
    assert set(kinds) == expected
    times = [e.occurred_at for e in data.events]
    assert times == sorted(times)
    assert times[0] >= EPOCH
    assert times[-1] < WINDOW_END
    searches = [e for e in data.events if e.kind == "search"]
    assert all(e.query and e.result_count is not None for e in searches)
    zero = sum(e.result_count == 0 for e in searches) / len(searches)
    assert 0.05 < zero < 0.11
    feedback = [e for e in data.events if e.kind == "article_feedback"]
    assert all(e.helpful is not None and e.article_id for e in feedback)
    assert any(e.helpful for e in feedback)
    assert not all(e.helpful for e in feedback)
    created = {(e.user_id, e.product_id, e.occurred_at) for e in data.events if e.kind == "ticket_created"}
    assert created == {(t.customer_id, t.product_id, t.created_at) for t in data.tickets}
    published = {a.id for a in data.articles if a.status == "published"}
    assert all(e.article_id in published for e in data.events if e.kind in ("article_view", "search_click"))


def test_every_customer_follow_up_has_an_agent_answer() -> None:
    assert len(texts.AGENT_FOLLOW_UPS) == len(texts.CUSTOMER_FOLLOW_UPS)


# ---- consistency between products, known issues, solutions and articles ------------------------------

# A text matching one of these is about a feature: every product it is about must have one of the features.
_FEATURE_TERMS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("LDAC", r"\bLDAC\b", frozenset({"ftr-ldac"})),
    ("ANC", r"\bANC\b|noise[- ]cancell", frozenset({"ftr-anc", "ftr-adaptive-anc"})),
    ("wireless charging", r"wireless (?:charg|pad)|\bQi\b", frozenset({"ftr-wireless-charging"})),
    ("PartyCast", r"partycast", frozenset({"ftr-partycast"})),
    ("app EQ", r"\bEQ\b|soundcore app|equali[sz]er", frozenset({"ftr-app-eq"})),
    ("BassUp", r"bassup", frozenset({"ftr-bassup"})),
    ("light show", r"light show", frozenset({"ftr-light-show"})),
    ("wear detection", r"wear detection|auto-pause", frozenset({"ftr-wear-detection"})),
    ("multipoint", r"multipoint|dual connections", frozenset({"ftr-multipoint"})),
    ("sleep monitoring", r"\bsleep\b", frozenset({"ftr-sleep-monitoring"})),
    ("gaming mode", r"gaming mode|low latency", frozenset({"ftr-gaming-mode"})),
    ("stereo pairing", r"\bstereo\b|\bTWS\b", frozenset({"ftr-stereo-pairing"})),
    ("open-ear", r"open-ear|privacy mode", frozenset({"ftr-open-ear"})),
    ("magnetic alignment", r"magsafe|magnetic", frozenset({"ftr-magnetic-alignment"})),
    ("call noise reduction", r"call noise reduction", frozenset({"ftr-call-noise-reduction"})),
)


class _Names:
    """Finds product names in text, longest first ("Liberty 4 NC" is not "Liberty 4"); "Boom series" is a series."""

    def __init__(self, data: DemoData) -> None:
        names = sorted((p.name for p in data.products), key=len, reverse=True)
        alternatives = "|".join(re.escape(n) for n in names)
        self.pattern = re.compile(rf"(?<![\w+])({alternatives})(?![\w+])(?! series)")
        series = "|".join(re.escape(s) for s in sorted({p.series for p in data.products}, key=len, reverse=True))
        self.series = re.compile(rf"\b({series}) series\b")
        self.by_name = {p.name: p for p in data.products}

    def named(self, text: str) -> set[str]:
        return {m.group(1) for m in self.pattern.finditer(text)}

    def without_names(self, text: str) -> str:
        return self.series.sub(" ", self.pattern.sub(" ", text))


@pytest.fixture(scope="module")
def names(data: DemoData) -> _Names:
    return _Names(data)


def _affected(data: DemoData) -> dict[str, set[str]]:
    affected: dict[str, set[str]] = {}
    for product, issue in data.affected_by:
        affected.setdefault(issue, set()).add(product)
    return affected


def _solutions_of(data: DemoData) -> dict[str, list[str]]:
    solutions: dict[str, list[str]] = {}
    for issue, solution, _ in data.resolved_by:
        solutions.setdefault(issue, []).append(solution)
    return solutions


def test_feature_issues_affect_only_products_with_the_feature(data: DemoData, names: _Names) -> None:
    features: dict[str, set[str]] = {}
    for product, feature in data.has_feature:
        features.setdefault(product, set()).add(feature)
    affected, solutions_of = _affected(data), _solutions_of(data)
    solutions = {s.id: s for s in data.solutions}
    product_names = {p.id: p.name for p in data.products}
    wrong: list[str] = []
    checked = Counter[str]()
    for issue in data.known_issues:
        texts_ = [issue.title, issue.description, *issue.symptoms]
        for s in solutions_of[issue.id]:
            texts_ += [solutions[s].title, *solutions[s].steps]
        for text in texts_:
            plain = names.without_names(text)  # "Sleep A20" or "Memory Foam Ear Tips" are names, not features
            for label, pattern, needed in _FEATURE_TERMS:
                if re.search(pattern, plain, re.IGNORECASE if pattern.islower() else 0):
                    checked[label] += 1
                    wrong += [
                        f"{product_names[p]} lacks {label}: {text}"
                        for p in affected[issue.id]
                        if not features[p] & needed
                    ]
    assert not wrong, wrong[:10]
    assert {"LDAC", "ANC", "wireless charging", "PartyCast", "app EQ"} <= set(checked)


def test_issue_and_solution_texts_name_only_affected_products(data: DemoData, names: _Names) -> None:
    affected, solutions_of = _affected(data), _solutions_of(data)
    solutions = {s.id: s for s in data.solutions}
    product_names = {p.id: p.name for p in data.products}
    series_wording = 0
    for issue in data.known_issues:
        allowed = {product_names[p] for p in affected[issue.id]}
        titles = [issue.title]
        for s in solutions_of[issue.id]:
            titles += [solutions[s].title, *solutions[s].steps]
        for text in [*titles, issue.description, *issue.symptoms]:
            assert names.named(text) <= allowed, (issue.id, sorted(allowed), text)
        if len(allowed) > 1:
            # Several products: titles and solutions read generically or by the series they all share.
            series = {names.by_name[n].series for n in allowed}
            for text in titles:
                assert not names.named(text), (issue.id, sorted(allowed), text)
                for m in names.series.finditer(text):
                    assert series == {m.group(1)}, (issue.id, sorted(allowed), text)
                    series_wording += 1
    assert series_wording > 0


def test_ticket_subjects_name_only_the_ticket_product(data: DemoData, names: _Names) -> None:
    product_names = {p.id: p.name for p in data.products}
    titles = {i.title for i in data.known_issues}
    from_issues = 0
    for t in data.tickets:
        assert names.named(t.subject) <= {product_names[t.product_id]}, (t.id, product_names[t.product_id], t.subject)
        from_issues += any(title in t.subject for title in titles)
    assert from_issues > 0


def test_troubleshooting_articles_name_only_affected_products(data: DemoData, names: _Names) -> None:
    affected = _affected(data)
    issue_of = {s: i for i, s, _ in data.resolved_by}
    articles = {a.id: a for a in data.articles}
    issues = {i.id: i for i in data.known_issues}
    product_names = {p.id: p.name for p in data.products}
    for solution, article_id in data.documented_in:
        article = articles[article_id]
        issue = issues[issue_of[solution]]
        allowed = {product_names[p] for p in affected[issue.id]}
        assert names.named(f"{article.title}\n{article.body}") <= allowed, (article.id, sorted(allowed))
        # An article never documents a fix for an issue before the issue was reported.
        assert article.published_at is None or article.published_at > issue.reported_at, (article.id, issue.id)


def test_articles_are_not_published_before_their_products(data: DemoData, names: _Names) -> None:
    by_slug = {p.slug: p for p in data.products}
    release_notes = 0
    for a in data.articles:
        if a.published_at is None:
            continue
        about = [by_slug[t] for t in a.tags if t in by_slug]
        about += [names.by_name[n] for n in names.named(f"{a.title}\n{a.body}")]
        for p in about:
            assert a.published_at >= p.released_at, (a.id, a.title, p.name)
        if a.kind == "release_note":
            tagged = [by_slug[t] for t in a.tags if t in by_slug]
            assert len(tagged) == 1
            assert a.published_at > tagged[0].released_at, (a.id, a.title)
            release_notes += 1
    assert release_notes > 0


def test_succession_is_a_chain(data: DemoData) -> None:
    # Product.successor and Product.predecessor are single: no product has two of either.
    successors = Counter(old for _, old in data.succeeds)
    predecessors = Counter(new for new, _ in data.succeeds)
    assert max(successors.values()) == 1
    assert max(predecessors.values()) == 1
