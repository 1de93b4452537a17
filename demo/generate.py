"""Build the deterministic demo dataset from the hand-written catalogue and templates.

Every random choice comes from a ``random.Random`` seeded from ``SEED`` and the name of the section
being built (``_rng("tickets")``), so the data is identical on every machine and in every process,
and changing one section does not reshuffle the others. Timestamps derive from fixed datetimes.
"""

from __future__ import annotations

import functools
import random
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from demo import access, catalog, issues, people, texts
from demo.article_history import with_history
from demo.content import studio_content
from demo.events import studio_events
from demo.knowledge_links import accessory_links, affected_firmware, firmware_records
from demo.model import (
    DemoArticle,
    DemoCategory,
    DemoContentItem,
    DemoData,
    DemoEvent,
    DemoFeature,
    DemoKnownIssue,
    DemoMessage,
    DemoProduct,
    DemoRevision,
    DemoSolution,
    DemoTicket,
    DemoUser,
)
from demo.tickets import with_outcomes

if TYPE_CHECKING:
    from collections.abc import Sequence

SEED = 20261127
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)  # start of the demo year's activity
WINDOW_END = datetime(2026, 11, 1, tzinfo=UTC)  # activity runs January to October 2026
TICKET_COUNT = 560
EVENT_TARGET = 12_000
ZERO_RESULT_SHARE = 0.08
_PRODUCT_QUERY_SHARE = 0.7  # the rest are general questions

_SEVERITIES = ("low", "medium", "high", "critical")


def _rng(section: str) -> random.Random:
    """An independent, reproducible stream for one section (str seeds hash with SHA-512, not hash())."""
    return random.Random(f"{SEED}:{section}")  # noqa: S311 - reproducible demo data, not security


def slugify(text: str) -> str:
    """``"Motion+"`` -> ``"motion-plus"``, ``"3.5 mm Audio Cable"`` -> ``"3-5-mm-audio-cable"``."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("+", " plus")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _ascii_name(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A whole-second instant in [start, end)."""
    span = int((end - start).total_seconds())
    return start + timedelta(seconds=rng.randrange(max(span, 1)))


def _chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


# ---- catalogue -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Catalog:
    products: tuple[DemoProduct, ...]
    seeds: dict[str, catalog.ProductSeed]  # product id -> seed
    by_name: dict[str, DemoProduct]
    features_of: dict[str, tuple[str, ...]]  # product id -> feature keys
    category_of: dict[str, str]  # product id -> category key
    firmware_dates: dict[str, tuple[datetime, ...]]  # product id -> one date per firmware version


def _spec_summary(seed: catalog.ProductSeed) -> str:
    s = dict(seed.specs)
    if seed.category == "earbuds":
        return (
            f"Up to {s['battery_hours']} hours of playtime ({s['battery_with_case_hours']} with the case), "
            f"Bluetooth {s['bluetooth']}, {s['ip_rating']}."
        )
    if seed.category == "headphones":
        return (
            f"Up to {s['battery_hours']} hours of playtime ({s['battery_anc_hours']} with ANC), "
            f"Bluetooth {s['bluetooth']}, {s['weight']}."
        )
    if seed.category == "speakers":
        return f"{s['output_power']} of output, up to {s['battery_hours']} hours of playtime, {s['ip_rating']}."
    if seed.category == "power":
        if s["capacity"] == "-":
            return f"Up to {s['max_output']} through {s['ports']}."
        return f"{s['capacity']} with up to {s['max_output']} output through {s['ports']}."
    return f"Made of {s['material'].lower()}; fits {', '.join(seed.compatible)}."


def _build_catalog() -> _Catalog:
    feature_keys = {key for key, _, _ in catalog.FEATURES}
    category_keys = {key for key, _ in catalog.CATEGORIES}
    products: list[DemoProduct] = []
    seeds: dict[str, catalog.ProductSeed] = {}
    features_of: dict[str, tuple[str, ...]] = {}
    firmware_dates: dict[str, tuple[datetime, ...]] = {}
    for seed in catalog.PRODUCTS:
        if seed.category not in category_keys:
            msg = f"unknown category {seed.category!r} for {seed.name}"
            raise ValueError(msg)
        unknown = [f for f in seed.features if f not in feature_keys]
        if unknown:
            msg = f"unknown features {unknown} for {seed.name}"
            raise ValueError(msg)
        slug = slugify(seed.name)
        released = datetime.fromisoformat(seed.released).replace(hour=15, tzinfo=UTC)
        product = DemoProduct(
            id=f"prd-{slug}",
            slug=slug,
            name=seed.name,
            category_id=f"cat-{seed.category}",
            series=seed.series,
            sku=seed.sku,
            description=f"{seed.blurb} {_spec_summary(seed)}",
            price_cents=seed.price_cents,
            released_at=released,
            specs=dict(seed.specs),
            firmware_versions=seed.firmware,
        )
        products.append(product)
        seeds[product.id] = seed
        features_of[product.id] = seed.features
        # Firmware versions are spread evenly between launch and a month before the window ends.
        count = len(seed.firmware)
        span = (WINDOW_END - timedelta(days=30)) - released
        firmware_dates[product.id] = tuple(released + span * i / max(count, 1) for i in range(count))
    by_name = {p.name: p for p in products}
    return _Catalog(
        products=tuple(products),
        seeds=seeds,
        by_name=by_name,
        features_of=features_of,
        category_of={p.id: seeds[p.id].category for p in products},
        firmware_dates={k: tuple(d.replace(microsecond=0) for d in v) for k, v in firmware_dates.items()},
    )


def _product_relations(
    cat: _Catalog,
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(has_feature, succeeds, compatible_with)."""
    rng = _rng("relations")
    has_feature = tuple((p.id, f"ftr-{key}") for p in cat.products for key in cat.features_of[p.id])
    succeeds = tuple(
        (p.id, cat.by_name[pred].id) for p in cat.products if (pred := cat.seeds[p.id].predecessor) is not None
    )
    devices = [p for p in cat.products if cat.category_of[p.id] in catalog.DEVICE_CATEGORIES]
    compatible: dict[tuple[str, str], None] = {}
    for p in cat.products:
        seed = cat.seeds[p.id]
        for name in seed.compatible:
            compatible[(p.id, cat.by_name[name].id)] = None
        if seed.category != "power":
            continue
        if "wireless-charging" in seed.features:
            targets = [d for d in devices if "wireless-charging" in cat.features_of[d.id]]
        else:
            targets = rng.sample(devices, rng.randint(5, 8))
        for d in targets:
            compatible[(p.id, d.id)] = None
    # PartyCast speakers all play together; one edge per pair, from the newer speaker to the older.
    party = sorted(
        (p for p in devices if "partycast" in cat.features_of[p.id]), key=lambda p: (p.released_at, p.id), reverse=True
    )
    for i, newer in enumerate(party):
        for older in party[i + 1 :]:
            compatible[(newer.id, older.id)] = None
    return has_feature, succeeds, tuple(compatible)


# ---- knowledge: known issues, solutions ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Issue:
    record: DemoKnownIssue
    template: issues.IssueTemplate
    products: tuple[DemoProduct, ...]  # primary first
    params: dict[str, str]  # "product" is the wording for all affected products (see _product_wording)
    solutions: tuple[tuple[str, tuple[str, ...]], ...]  # (SOLUTIONS key, the steps that fit), best first
    label: str  # the affected products for article titles: "Liberty 4 NC", "Liberty series", "A and B"


def _fits(text: str, features: Sequence[tuple[str, ...]]) -> bool:
    """Whether every product (given by its feature keys) has a feature for each one ``text`` mentions."""
    return all(any(f in have for f in group) for group in issues.features_named(text) for have in features)


def _has_required(requires: tuple[str, ...], features: Sequence[tuple[str, ...]]) -> bool:
    return not requires or all(any(f in have for f in requires) for have in features)


@functools.cache
def _usable_solutions(
    template: issues.IssueTemplate, features: tuple[tuple[str, ...], ...]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The template's solutions that fit every product (by feature keys), each with the steps that fit (3 or more)."""
    usable: list[tuple[str, tuple[str, ...]]] = []
    for key in template.solutions:
        solution = issues.SOLUTIONS[key]
        if not _has_required(solution.requires, features) or not _fits(solution.title, features):
            continue
        steps = tuple(step for step in solution.steps if _fits(step, features))
        if len(steps) >= _MIN_STEPS:
            usable.append((key, steps))
    return tuple(usable)


_MIN_STEPS = 3
_GROUP_NOUNS = {"earbuds": "earbuds", "headphones": "headphones", "speakers": "speakers"}


def _group_noun(cat: _Catalog, products: list[DemoProduct]) -> str:
    categories = {cat.category_of[p.id] for p in products}
    if len(categories) > 1:
        return "devices"
    category = categories.pop()
    if category == "power":
        kinds = {"power banks" if p.specs.get("capacity", "-") != "-" else "chargers" for p in products}
        return kinds.pop() if len(kinds) == 1 else "charging devices"
    if category == "accessories":
        series = {p.series for p in products}
        return series.pop().lower() if len(series) == 1 else "accessories"
    return _GROUP_NOUNS[category]


def _product_wording(cat: _Catalog, products: list[DemoProduct]) -> tuple[str, str, str]:
    """(wording for titles and steps, names for descriptions, label for article titles).

    One product is named; several read generically, or by their series when they share one, so no text
    names a product the issue does not affect.
    """
    names = [p.name for p in products]
    if len(products) == 1:
        return names[0], names[0], names[0]
    joined = f"{', '.join(names[:-1])} and {names[-1]}"
    noun = _group_noun(cat, products)
    series = {p.series for p in products}
    if cat.category_of[products[0].id] == "accessories":
        return f"your {noun}", joined, joined
    if len(series) == 1:
        name = series.pop()
        return f"your {name} series {noun}", joined, f"{name} series"
    return f"your {noun}", joined, joined


def _applies(template: issues.IssueTemplate, cat: _Catalog, product: DemoProduct) -> bool:
    if cat.category_of[product.id] not in template.categories:
        return False
    if template.products and product.name not in template.products:
        return False
    features = (cat.features_of[product.id],)
    if not _has_required(template.requires, features):
        return False
    if not _fits(f"{template.title}\n{template.description}", features):
        return False
    if not any(_fits(s, features) for s in template.symptoms) or not _usable_solutions(template, features):
        return False
    # "after firmware X" needs a version that was an update, not the launch firmware
    return not (template.needs_firmware and len(product.firmware_versions) <= 1)


def _issue_count(rng: random.Random, category: str) -> int:
    if category in catalog.DEVICE_CATEGORIES:
        return rng.randint(3, 6)
    if category == "power":
        return rng.randint(2, 3)
    return rng.randint(1, 2)


def _build_issues(cat: _Catalog) -> list[_Issue]:
    rng = _rng("issues")
    used: dict[str, dict[str, None]] = {p.id: {} for p in cat.products}  # product id -> template keys
    drafts: list[tuple[datetime, int, _Issue]] = []
    for product in cat.products:
        category = cat.category_of[product.id]
        candidates = [t for t in issues.ISSUES if _applies(t, cat, product) and t.key not in used[product.id]]
        chosen = rng.sample(candidates, min(_issue_count(rng, category), len(candidates)))
        for template in chosen:
            side = rng.choice(("left", "right"))
            fw_index = rng.randrange(1, len(product.firmware_versions)) if len(product.firmware_versions) > 1 else 0
            phone = rng.choice(issues.PHONES)
            affected = [product]
            if not template.needs_firmware:
                others = [
                    q
                    for q in cat.products
                    if q.id != product.id
                    and cat.category_of[q.id] == category
                    and _applies(template, cat, q)
                    and template.key not in used[q.id]
                ]
                same_series = [q for q in others if q.series == product.series]
                pool = same_series or others
                extra = rng.choices((0, 1, 2), weights=(55, 30, 15))[0]
                for q in rng.sample(pool, min(extra, len(pool))):
                    # Keep only products that share at least one complete solution with the rest.
                    if _usable_solutions(template, tuple(cat.features_of[p.id] for p in (*affected, q))):
                        affected.append(q)
            for q in affected:
                used[q.id][template.key] = None
            features = tuple(cat.features_of[q.id] for q in affected)
            wording, names, label = _product_wording(cat, affected)
            params = {
                "product": wording,
                "side": side,
                "Side": side.capitalize(),
                "phone": phone,
                "fw": product.firmware_versions[fw_index] if product.firmware_versions else "",
            }
            earliest = max(q.released_at for q in affected) + timedelta(days=20)
            if template.needs_firmware:
                earliest = max(earliest, cat.firmware_dates[product.id][fw_index] + timedelta(days=2))
            reported_at = _between(rng, earliest, WINDOW_END - timedelta(days=5))
            recent = WINDOW_END - reported_at < timedelta(days=75)
            status = rng.choices(
                ("resolved", "investigating", "open"), weights=(25, 40, 35) if recent else (65, 22, 13)
            )[0]
            severity = template.severity
            shift = rng.choices((0, 1, -1), weights=(80, 12, 8))[0]  # a few are worse or milder than usual
            severity = _SEVERITIES[min(max(_SEVERITIES.index(severity) + shift, 0), len(_SEVERITIES) - 1)]
            symptoms = tuple(s.format(**params) for s in template.symptoms if _fits(s, features))
            keep = rng.randint(min(2, len(symptoms)), len(symptoms))
            record = DemoKnownIssue(
                id="",
                title=template.title.format(**params),
                description=template.description.format(**{**params, "product": names}),
                severity=severity,
                status=status,
                symptoms=symptoms[:keep],
                reported_at=reported_at,
            )
            issue = _Issue(record, template, tuple(affected), params, _usable_solutions(template, features), label)
            drafts.append((reported_at, len(drafts), issue))
    drafts.sort(key=lambda d: (d[0], d[1]))
    out: list[_Issue] = []
    for number, (_, _, issue) in enumerate(drafts, start=1):
        out.append(replace(issue, record=replace(issue.record, id=f"kis-{number:04d}")))
    return out


def _build_solutions(
    found: list[_Issue],
) -> tuple[list[DemoSolution], list[tuple[str, str, int]], dict[str, list[DemoSolution]]]:
    """Solutions, resolved_by edges, and each issue's solutions in order."""
    rng = _rng("solutions")
    solutions: list[DemoSolution] = []
    resolved_by: list[tuple[str, str, int]] = []
    of_issue: dict[str, list[DemoSolution]] = {}
    for issue in found:
        usable = issue.solutions
        count = min(len(usable), rng.choices((1, 2, 3), weights=(25, 45, 30))[0])
        of_issue[issue.record.id] = []
        for position, (key, steps) in enumerate(usable[:count], start=1):
            template = issues.SOLUTIONS[key]
            rate = template.success_rate + rng.uniform(-0.08, 0.06) - 0.04 * (position - 1)
            solution = DemoSolution(
                id=f"sol-{len(solutions) + 1:04d}",
                title=template.title.format(**issue.params),
                steps=tuple(step.format(**issue.params) for step in steps),
                success_rate=round(min(max(rate, 0.3), 0.99), 2),
            )
            solutions.append(solution)
            resolved_by.append((issue.record.id, solution.id, position))
            of_issue[issue.record.id].append(solution)
    return solutions, resolved_by, of_issue


# ---- knowledge: articles -------------------------------------------------------------------------


@dataclass(slots=True)
class _ArticleDraft:
    title: str
    kind: str
    body: str
    locale: str
    tags: tuple[str, ...]
    published_at: datetime | None
    product_id: str | None


@dataclass(frozen=True, slots=True)
class _Articles:
    articles: tuple[DemoArticle, ...]
    documented_in: tuple[tuple[str, str], ...]
    product_of: dict[str, str | None]  # article id -> its main product


class _ArticleBook:
    """Collects article drafts, then assigns ids and unique slugs in order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.drafts: list[_ArticleDraft] = []

    def add(  # noqa: PLR0913, PLR0917 - one parameter per article attribute
        self,
        title: str,
        kind: str,
        body: str,
        tags: list[str],
        published_at: datetime | None,
        product_id: str | None,
        *,
        locale: str = "en-US",
        draft_share: float = 0.07,
    ) -> int:
        """Add a draft; returns its index (article id number - 1)."""
        if published_at is not None and (published_at >= WINDOW_END or _chance(self.rng, draft_share)):
            published_at = None
        self.drafts.append(_ArticleDraft(title, kind, body, locale, _unique(tags), published_at, product_id))
        return len(self.drafts) - 1

    def finish(self, documented: list[tuple[str, int]]) -> _Articles:
        slugs: dict[str, None] = {}
        articles: list[DemoArticle] = []
        product_of: dict[str, str | None] = {}
        for number, d in enumerate(self.drafts, start=1):
            base = slugify(d.title) if d.locale == "en-US" else f"{slugify(d.title) or 'article'}-{d.locale.lower()}"
            if d.locale == "ja-JP":
                base = f"{slugify(d.title)}-setup-ja-jp" if d.kind == "guide" else f"{slugify(d.title)}-faq-ja-jp"
            slug, n = base, 2
            while slug in slugs:
                slug, n = f"{base}-{n}", n + 1
            slugs[slug] = None
            article_id = f"art-{number:04d}"
            articles.append(
                DemoArticle(
                    id=article_id,
                    slug=slug,
                    title=d.title,
                    kind=d.kind,
                    body=d.body,
                    locale=d.locale,
                    status="draft" if d.published_at is None else "published",
                    tags=d.tags,
                    published_at=d.published_at,
                )
            )
            product_of[article_id] = d.product_id
        documented_in = tuple(dict.fromkeys((sol, articles[index].id) for sol, index in documented))
        return _Articles(tuple(articles), documented_in, product_of)


def _steps(items: list[str] | tuple[str, ...]) -> str:
    return "\n".join(f"{i}. {step}" for i, step in enumerate(items, start=1))


_STATUS_TEXT = {
    "resolved": "Resolved",
    "investigating": "Under investigation",
    "open": "Open: a fix is being worked on",
}


def _build_articles(cat: _Catalog, found: list[_Issue], solutions_of: dict[str, list[DemoSolution]]) -> _Articles:  # noqa: C901, PLR0912, PLR0915 - one pass per article family reads best in one place
    rng = _rng("articles")
    book = _ArticleBook(rng)
    documented: list[tuple[str, int]] = []
    feature_names = {key: name for key, name, _ in catalog.FEATURES}
    feature_descriptions = {key: description for key, _, description in catalog.FEATURES}

    # One troubleshooting article per known issue, holding every solution in order.
    for issue in found:
        primary = issue.products[0]
        category = cat.category_of[primary.id]
        sols = solutions_of[issue.record.id]
        # Name only the affected products: one by name, several by their series or all their names.
        names = _product_wording(cat, list(issue.products))[1]
        parts = [
            f"# {issue.label}: {issue.record.title}",
            rng.choice(texts.TROUBLESHOOTING_INTROS).format(product=names),
            (
                f"**Applies to:** {', '.join(p.name for p in issue.products)}  \n"
                f"**Status:** {_STATUS_TEXT[issue.record.status]}"
            ),
            "## Symptoms\n\n" + "\n".join(f"- {s}" for s in issue.record.symptoms),
            f"## Cause\n\n{issue.record.description}",
        ]
        parts += [f"## Fix {n}: {s.title}\n\n{_steps(s.steps)}" for n, s in enumerate(sols, start=1)]
        parts.append(rng.choice(texts.TROUBLESHOOTING_OUTROS))
        published = issue.record.reported_at + timedelta(days=rng.randint(1, 21), hours=rng.randint(0, 23))
        index = book.add(
            f"{issue.label}: {issue.record.title}",
            "troubleshooting",
            "\n\n".join(parts),
            ["troubleshooting", category, *(p.slug for p in issue.products), issue.template.key],
            published,
            primary.id,
            draft_share=0.4 if issue.record.status == "open" else 0.05,
        )
        documented += [(s.id, index) for s in sols]

    issues_of: dict[str, list[_Issue]] = {p.id: [] for p in cat.products}
    for issue in found:
        for p in issue.products:
            issues_of[p.id].append(issue)

    for product in cat.products:
        seed = cat.seeds[product.id]
        category = seed.category
        launch = product.released_at
        # Troubleshooting overview per device and power product; some solutions are documented here too.
        if category != "accessories":
            listed = "\n".join(
                f"- **{i.record.title}** ({_STATUS_TEXT[i.record.status].split(':')[0].lower()})"
                for i in issues_of[product.id]
            )
            body = (
                f"# Troubleshooting {product.name}\n\nMost problems with {product.name} can be fixed in a few minutes. "
                f"Start with the quick checks, then look for your symptom below.\n\n## Quick checks\n\n"
                f"{_steps(texts.QUICK_CHECKS[category])}\n\n## Known issues\n\n{listed or '- None reported.'}\n\n"
                f"{rng.choice(texts.TROUBLESHOOTING_OUTROS)}"
            )
            # The overview is revised whenever an issue is reported, so it never predates one it lists.
            revised = [i.record.reported_at + timedelta(days=rng.randint(1, 4)) for i in issues_of[product.id]]
            overview = book.add(
                f"Troubleshooting {product.name}: common problems and fixes",
                "troubleshooting",
                body,
                ["troubleshooting", category, product.slug, "overview"],
                max([launch + timedelta(days=rng.randint(10, 60)), *revised]),
                product.id,
                draft_share=0.0,
            )
            for issue in issues_of[product.id]:
                if issue.products[0].id != product.id:
                    continue
                documented += [(s.id, overview) for s in solutions_of[issue.record.id] if _chance(rng, 0.35)]
            # Setup guide.
            features = ", ".join(feature_names[f] for f in seed.features)
            body = (
                f"# How to set up {product.name}\n\n{product.description}\n\n## In the box\n\n"
                f"{texts.IN_THE_BOX[category].format(product=product.name)}\n\n## Get started\n\n"
                f"{_steps([s.format(product=product.name) for s in texts.SETUP_STEPS[category]])}\n\n"
                f"## Get the most out of it\n\n{product.name} supports: {features}."
            )
            book.add(
                f"How to set up {product.name}",
                "guide",
                body,
                ["guide", "setup", category, product.slug],
                launch + timedelta(days=rng.randint(0, 14)),
                product.id,
            )
        # Feature guides.
        for key in seed.features:
            guide = texts.FEATURE_GUIDES.get(key)
            if guide is None or not _chance(rng, 0.45):
                continue
            title, steps, tip = guide
            title = title.format(product=product.name)
            body = (
                f"# {title}\n\n{feature_names[key]}: {feature_descriptions[key]}\n\n"
                f"## Steps\n\n{_steps([s.format(product=product.name) for s in steps])}\n\n> **Tip:** {tip}"
            )
            book.add(
                title,
                "guide",
                body,
                ["guide", key, category, product.slug],
                launch + timedelta(days=rng.randint(5, 200)),
                product.id,
            )
        # Product FAQ.
        fields = {"product": product.name, **product.specs}
        entries = rng.sample(texts.FAQ_ENTRIES[category], min(rng.randint(4, 6), len(texts.FAQ_ENTRIES[category])))
        qa = "\n\n".join(f"### {q.format(**fields)}\n\n{a.format(**fields)}" for q, a in entries)
        book.add(
            f"{product.name} FAQ",
            "faq",
            f"# {product.name}: frequently asked questions\n\n{qa}",
            ["faq", category, product.slug],
            launch + timedelta(days=rng.randint(0, 30)),
            product.id,
        )
        # Release notes for every firmware after the first.
        resolved = [
            i for i in issues_of[product.id] if i.record.status == "resolved" and i.products[0].id == product.id
        ]
        for n, version in enumerate(product.firmware_versions[1:], start=1):
            changes = [
                c.format(phone=rng.choice(issues.PHONES))
                for c in rng.sample(texts.RELEASE_NOTE_CHANGES, rng.randint(2, 4))
            ]
            changes += [f"Fixed: {i.record.title}." for i in resolved if _chance(rng, 0.5)]
            body = (
                f"# {product.name} firmware {version}\n\nFirmware {version} for {product.name} is rolling out through "
                f"the Soundcore app.\n\n## What's new\n\n"
                + "\n".join(f"- {c}" for c in changes)
                + "\n\n## How to update\n\n"
                "Open the Soundcore app, select your device and tap Settings > Firmware Update."
            )
            book.add(
                f"{product.name} firmware {version} release notes",
                "release_note",
                body,
                ["release-note", "firmware", category, product.slug],
                cat.firmware_dates[product.id][n],
                product.id,
                draft_share=0.04,
            )
        # Localised setup guides and FAQs for some devices.
        if category in catalog.DEVICE_CATEGORIES and _chance(rng, 0.4):
            for locale in rng.sample(sorted(texts.LOCALIZED), rng.randint(1, 2)):
                setup_title, setup_body, faq_title, faq_body = texts.LOCALIZED[locale]
                when = launch + timedelta(days=rng.randint(20, 90))
                book.add(
                    setup_title.format(product=product.name),
                    "guide",
                    setup_body.format(product=product.name),
                    ["guide", "setup", category, product.slug, locale],
                    when,
                    product.id,
                    locale=locale,
                )
                book.add(
                    faq_title.format(product=product.name),
                    "faq",
                    faq_body.format(product=product.name),
                    ["faq", category, product.slug, locale],
                    when + timedelta(days=1),
                    product.id,
                    locale=locale,
                )

    for title, body, tags in texts.GENERAL_FAQS:
        book.add(
            title,
            "faq",
            f"# {title}\n\n{body}",
            ["faq", "general", *tags],
            _between(rng, datetime(2024, 1, 1, tzinfo=UTC), EPOCH),
            None,
            draft_share=0.0,
        )
    return book.finish(documented)


# ---- people --------------------------------------------------------------------------------------


def _build_users() -> list[DemoUser]:
    rng = _rng("users")
    users: list[DemoUser] = []
    emails: dict[str, None] = {}
    names: dict[tuple[str, str], None] = {}

    def add(email: str, name: str, role: str, created_at: datetime) -> None:
        emails[email] = None
        users.append(DemoUser(f"usr-{len(users) + 1:04d}", email, name, role, created_at))

    for n, (email, name, role) in enumerate(people.FIXED_USERS):
        first, last = name.split(" ", 1)
        names[(first, last)] = None
        add(email, name, role, datetime(2024, 3, 1, 9, tzinfo=UTC) + timedelta(days=n))
    fixed_roles = [role for _, _, role in people.FIXED_USERS]
    partner_index = 0
    for role, total in people.ROLE_COUNTS:
        for _ in range(total - fixed_roles.count(role)):
            while True:
                first, last = rng.choice(people.FIRST_NAMES), rng.choice(people.LAST_NAMES)
                if (first, last) not in names:
                    break
            names[(first, last)] = None
            f, l = _ascii_name(first), _ascii_name(last)  # noqa: E741 - first/last initials read naturally
            if role == "customer":
                local = rng.choice(
                    (
                        f"{f}.{l}",
                        f"{f}{l}",
                        f"{f}_{l[0]}",
                        f"{f[0]}{l}",
                        f"{f}.{l}{rng.randint(1, 99)}",
                        f"{f}{rng.randint(70, 99)}",
                    )
                )
                domain = rng.choice(people.CUSTOMER_DOMAINS)
                created = _between(rng, datetime(2024, 1, 1, tzinfo=UTC), EPOCH)
            elif role == "partner":
                local, domain = f"{f}.{l}", people.PARTNER_DOMAINS[partner_index % len(people.PARTNER_DOMAINS)]
                partner_index += 1
                created = _between(rng, datetime(2024, 3, 1, tzinfo=UTC), datetime(2025, 6, 1, tzinfo=UTC))
            else:
                local, domain = f"{f}.{l}", people.STAFF_DOMAIN
                created = _between(rng, datetime(2024, 3, 1, tzinfo=UTC), datetime(2025, 10, 1, tzinfo=UTC))
            email, n = f"{local}@{domain}", 2
            while email in emails:
                email, n = f"{local}{n}@{domain}", n + 1
            add(email, f"{first} {last}", role, created)
    return users


# ---- content -------------------------------------------------------------------------------------


# An item's status follows how far its revisions have gone.
_CONTENT_STATUS = {1: ("draft", "in_review"), 2: ("in_review", "approved")}


def _build_content(cat: _Catalog, editors: list[DemoUser]) -> list[DemoContentItem]:
    rng = _rng("content")
    feature_names = {key: name for key, name, _ in catalog.FEATURES}
    items: list[DemoContentItem] = []
    revision_count = 0
    for product in cat.products:
        seed = cat.seeds[product.id]
        count = rng.randint(2, 5)
        kinds = rng.sample(texts.CONTENT_KINDS, min(count, len(texts.CONTENT_KINDS)))
        if count > len(texts.CONTENT_KINDS):
            kinds.append("social_post")
        names = [feature_names[f] for f in seed.features[:3]]
        values = {
            "product": product.name,
            "blurb": seed.blurb,
            "spec_line": _spec_summary(seed).rstrip("."),
            "feature_line": f"With {', '.join(names[:-1])} and {names[-1]}." if len(names) > 1 else f"With {names[0]}.",
            "price": f"${product.price_cents / 100:.2f}",
            "tag": re.sub(r"[^A-Za-z0-9]", "", product.name),
        }
        for n, kind in enumerate(kinds):
            revisions: list[DemoRevision] = []
            author = rng.choice(editors)
            when = _between(
                rng, max(product.released_at, datetime(2025, 6, 1, tzinfo=UTC)), datetime(2026, 9, 20, tzinfo=UTC)
            )
            headline, body = rng.randrange(len(texts.HEADLINES)), rng.randrange(len(texts.CONTENT_BODIES[kind]))
            total = rng.randint(1, 4)
            for number in range(1, total + 1):
                if number > 1:
                    when += timedelta(hours=rng.randint(2, 240), minutes=rng.randint(0, 59))
                    if _chance(rng, 0.4):  # another editor reviews
                        author = rng.choice(editors)
                    headline += rng.randint(0, 1)
                    body += rng.randint(0, 1)
                text = texts.CONTENT_BODIES[kind][body % len(texts.CONTENT_BODIES[kind])].format(
                    headline=texts.HEADLINES[headline % len(texts.HEADLINES)].format(product=product.name), **values
                )
                revision_count += 1
                revisions.append(
                    DemoRevision(
                        f"rev-{revision_count:05d}",
                        number,
                        text + texts.REVISION_NOTES[min(number - 1, 3)],
                        author.id,
                        when,
                    )
                )
            status = rng.choice(_CONTENT_STATUS.get(total, ("approved", "published", "published")))
            title = texts.CONTENT_TITLES[kind].format(product=product.name)
            if n >= len(texts.CONTENT_KINDS):
                title += " (holiday campaign)"
            items.append(
                DemoContentItem(
                    id=f"cnt-{len(items) + 1:04d}",
                    product_id=product.id,
                    kind=kind,
                    title=title,
                    locale="en-GB" if _chance(rng, 0.15) else "en-US",
                    status=status,
                    revisions=tuple(revisions),
                )
            )
    return items


# ---- support -------------------------------------------------------------------------------------


_RECENT = datetime(2023, 6, 1, tzinfo=UTC)  # products launched since then draw more traffic and tickets
_DEMO_CUSTOMER_EVERY = 40
_PRODUCT_WEIGHT = {"earbuds": 5.0, "headphones": 3.0, "speakers": 3.0, "power": 1.2, "accessories": 0.6}


def _build_tickets(  # noqa: C901, PLR0912, PLR0915 - a ticket's story reads best top to bottom
    cat: _Catalog, found: list[_Issue], solutions_of: dict[str, list[DemoSolution]], users: list[DemoUser]
) -> list[DemoTicket]:
    rng = _rng("tickets")
    customers = [u for u in users if u.role == "customer"]
    demo_customer = next(u for u in customers if u.email == "customer@soundcore.example")
    agents = [u for u in users if u.role == "support_agent"]
    agent_weights = [4.0 if a.email == "agent@soundcore.example" else 1.0 for a in agents]
    issues_of: dict[str, list[_Issue]] = {p.id: [] for p in cat.products}
    for known in found:
        for p in known.products:
            issues_of[p.id].append(known)
    products = list(cat.products)
    weights = [_PRODUCT_WEIGHT[cat.category_of[p.id]] * (1.6 if p.released_at >= _RECENT else 1.0) for p in products]
    last_ticket = WINDOW_END - timedelta(days=4)
    created = sorted(_between(rng, EPOCH, last_ticket) for _ in range(TICKET_COUNT))
    tickets: list[DemoTicket] = []
    message_count = 0
    for number, created_at in enumerate(created, start=1):
        product = rng.choices(products, weights=weights)[0]
        category = cat.category_of[product.id]
        # The demo login has a ticket history of its own.
        customer = demo_customer if number % _DEMO_CUSTOMER_EVERY == 1 else rng.choice(customers)
        order = f"{rng.choice(texts.ORDER_PREFIXES)}-{rng.randint(1_000_000, 9_999_999)}"
        phone = rng.choice(issues.PHONES)
        fw = rng.choice(product.firmware_versions) if product.firmware_versions else "n/a"
        fmt = {"product": product.name, "order": order, "phone": phone, "fw": fw}
        candidates = issues_of[product.id]
        issue = rng.choice(candidates) if candidates and _chance(rng, 0.7) else None
        if issue is not None:
            symptom = rng.choice(issue.record.symptoms)
            subject = rng.choice(texts.TICKET_SUBJECTS_FROM_ISSUE).format(
                product=product.name, symptom=symptom, title=issue.record.title
            )
            ago, ago_short = rng.choice(texts.AGO)
            description = " ".join(
                s
                for s in (
                    rng.choice(texts.CUSTOMER_OPENERS),
                    rng.choice(texts.CUSTOMER_CONTEXT).format(product=product.name, ago=ago, ago_short=ago_short),
                    f"{symptom}.",
                    rng.choice(texts.CUSTOMER_DETAILS).format(**fmt),
                    rng.choice(texts.CUSTOMER_ASKS),
                )
                if s
            )
            sols = solutions_of[issue.record.id]
            answer = f"Please try these steps:\n\n{_steps(sols[0].steps)}"
            severity = issue.record.severity
        else:
            fitting = [q for q in texts.GENERAL_QUESTIONS if not q[3] or category in q[3]]
            subject_t, description_t, answer_t, _ = rng.choice(fitting)
            subject, description, answer = subject_t.format(**fmt), description_t.format(**fmt), answer_t.format(**fmt)
            severity = "low"
        age = WINDOW_END - created_at
        if age < timedelta(days=14):
            status = rng.choices(("open", "pending", "solved"), weights=(50, 30, 20))[0]
        elif age < timedelta(days=60):
            status = rng.choices(("open", "pending", "solved", "closed"), weights=(20, 25, 40, 15))[0]
        else:
            status = rng.choices(("open", "pending", "solved", "closed"), weights=(4, 6, 35, 55))[0]
        priority = rng.choices(("low", "normal", "high", "urgent"), weights=(25, 50, 20, 5))[0]
        if severity in ("high", "critical") and priority in ("low", "normal"):
            priority = "high"
        channel = rng.choices(("email", "chat", "web", "phone"), weights=(40, 30, 20, 10))[0]
        assignee = None if status == "open" and _chance(rng, 0.45) else rng.choices(agents, weights=agent_weights)[0]
        first_name = customer.name.split(" ")[0]
        gap = (1, 45) if channel in ("chat", "phone") else (30, 60 * 30)
        when = created_at
        messages = [(customer.id, description, False, when)]
        if assignee is None:
            if _chance(rng, 0.3):  # the customer chases an unanswered ticket
                when += timedelta(hours=rng.randint(4, 48))
                messages.append(
                    (
                        customer.id,
                        "Any update on this? " + rng.choice(texts.CUSTOMER_FOLLOW_UPS).format(**fmt),
                        False,
                        when,
                    )
                )
        else:
            target = rng.randint(2, 6)
            agent_turn, answered, follow_up = True, False, 0
            while len(messages) < target:
                when += timedelta(minutes=rng.randint(*gap))
                if agent_turn and len(messages) < target - 1 and _chance(rng, 0.22):
                    note = rng.choice(texts.INTERNAL_NOTES).format(
                        issue=issue.record.id if issue else "no known issue", fw=fw
                    )
                    messages.append((assignee.id, note, True, when))
                elif agent_turn:
                    if answered:
                        thanked = messages[-1][1] in texts.CUSTOMER_THANKS
                        body = texts.AGENT_GLAD if thanked else texts.AGENT_FOLLOW_UPS[follow_up]
                    else:
                        greeting = rng.choice(texts.AGENT_GREETINGS).format(customer=first_name, product=product.name)
                        closing = rng.choice(texts.AGENT_CLOSINGS)
                        body = f"{greeting}\n\n{answer}\n\n{closing}\n\n{assignee.name}\nSoundcore Support"
                        answered = True
                    messages.append((assignee.id, body, False, when))
                    agent_turn = False
                else:
                    last = len(messages) == target - 1
                    if last and status in ("solved", "closed"):
                        body = rng.choice(texts.CUSTOMER_THANKS)
                    else:
                        follow_up = rng.randrange(len(texts.CUSTOMER_FOLLOW_UPS))
                        body = texts.CUSTOMER_FOLLOW_UPS[follow_up].format(**fmt)
                    messages.append((customer.id, body, False, when))
                    agent_turn = True
        records = []
        for author_id, body, internal, at in messages:
            message_count += 1
            records.append(DemoMessage(f"msg-{message_count:06d}", author_id, body, internal, at))
        tickets.append(
            DemoTicket(
                id=f"tkt-{number:05d}",
                subject=subject,
                description=description,
                status=status,
                priority=priority,
                channel=channel,
                product_id=product.id,
                customer_id=customer.id,
                assignee_id=assignee.id if assignee else None,
                created_at=created_at,
                messages=tuple(records),
            )
        )
    return tickets


# ---- analytics -----------------------------------------------------------------------------------

_EventRow = tuple[datetime, int, str, str | None, str | None, str | None, str | None, int | None, bool | None]


def _build_events(  # noqa: C901, PLR0912, PLR0915 - one loop over visitor sessions
    cat: _Catalog,
    users: list[DemoUser],
    tickets: list[DemoTicket],
    content: list[DemoContentItem],
    arts: _Articles,
) -> list[DemoEvent]:
    rng = _rng("events")
    rows: list[_EventRow] = []

    def emit(  # noqa: PLR0913 - one parameter per event column
        at: datetime,
        kind: str,
        user: str | None = None,
        product: str | None = None,
        article: str | None = None,
        *,
        query: str | None = None,
        results: int | None = None,
        helpful: bool | None = None,
    ) -> None:
        rows.append((at, len(rows), kind, user, product, article, query, results, helpful))

    for t in tickets:
        emit(t.created_at, "ticket_created", t.customer_id, t.product_id)
    for item in content:
        for rev in item.revisions:
            if EPOCH <= rev.created_at < WINDOW_END:
                emit(rev.created_at, "content_generated", rev.author_id, item.product_id)

    published = [a for a in arts.articles if a.published_at is not None]
    articles_of: dict[str | None, list[str]] = {}
    for a in published:
        articles_of.setdefault(arts.product_of[a.id], []).append(a.id)
    all_published = [a.id for a in published]
    customers = [u.id for u in users if u.role == "customer"]
    browsable = list(cat.products)
    popularity = [
        {"earbuds": 5.0, "headphones": 3.0, "speakers": 3.5, "power": 1.5, "accessories": 1.0}[cat.category_of[p.id]]
        * (2.0 if p.released_at >= _RECENT else 1.0)
        for p in browsable
    ]
    product_queries = [
        (f"{p.name.lower()} {topic}", p.id)
        for p in cat.products
        if cat.category_of[p.id] != "accessories"
        for topic in texts.PRODUCT_QUERY_TOPICS
    ]
    last_start = WINDOW_END - timedelta(hours=1)

    def pick_article(product_id: str | None) -> str:
        own = articles_of.get(product_id) if product_id else None
        return rng.choice(own) if own and _chance(rng, 0.85) else rng.choice(all_published)

    def view(at: datetime, user: str | None, article: str) -> datetime:
        emit(at, "article_view", user, arts.product_of[article], article)
        if _chance(rng, 0.3):
            at += timedelta(seconds=rng.randint(20, 240))
            emit(at, "article_feedback", user, arts.product_of[article], article, helpful=_chance(rng, 0.74))
        return at

    while len(rows) < EVENT_TARGET:
        at = _between(rng, EPOCH, last_start)
        user = rng.choice(customers) if _chance(rng, 0.55) else None
        journey = rng.choices(("browse", "search", "read"), weights=(45, 35, 20))[0]
        if journey == "browse":
            for product in rng.choices(browsable, weights=popularity, k=rng.randint(1, 4)):
                emit(at, "page_view", user, product.id)
                at += timedelta(seconds=rng.randint(10, 180))
        elif journey == "search":
            roll = rng.random()
            if roll < ZERO_RESULT_SHARE:
                emit(at, "search", user, query=rng.choice(texts.ZERO_RESULT_QUERIES), results=0)
                continue
            if roll < _PRODUCT_QUERY_SHARE:
                query, product_id = rng.choice(product_queries)
                results: int = rng.randint(2, 40)
            else:
                query, product_id, results = rng.choice(texts.GENERAL_QUERIES), None, rng.randint(5, 120)
            emit(at, "search", user, product_id, query=query, results=results)
            if _chance(rng, 0.6):
                article = pick_article(product_id)
                at += timedelta(seconds=rng.randint(3, 40))
                emit(at, "search_click", user, arts.product_of[article], article, query=query)
                view(at + timedelta(seconds=1), user, article)
        else:  # reading help articles from a product page
            product = rng.choices(browsable, weights=popularity)[0]
            emit(at, "page_view", user, product.id)
            for _ in range(rng.randint(1, 3)):
                at += timedelta(seconds=rng.randint(15, 300))
                at = view(at, user, pick_article(product.id))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [
        DemoEvent(f"evt-{n:06d}", kind, at, user, product, article, query, results, helpful)
        for n, (at, _, kind, user, product, article, query, results, helpful) in enumerate(rows, start=1)
    ]


# ---- the dataset ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def build() -> DemoData:
    """The whole demo dataset; cached, so treat the result (including ``specs`` dicts) as read-only."""
    cat = _build_catalog()
    has_feature, succeeds, compatible_with = _product_relations(cat)
    found = _build_issues(cat)
    solutions, resolved_by, solutions_of = _build_solutions(found)
    arts = _build_articles(cat, found, solutions_of)
    users = _build_users()
    editors = [u for u in users if u.role == "editor"]
    studio = studio_content(_build_content(cat, editors), cat.products, editors, EPOCH)
    content = list(studio.items)
    tickets = with_outcomes(_build_tickets(cat, found, solutions_of, users), cat.category_of, _rng("ticket-outcomes"))
    events = studio_events(_build_events(cat, users, tickets, content, arts), tickets, content, WINDOW_END)
    firmware = firmware_records(cat.products, cat.firmware_dates)
    affected_by = tuple((p.id, i.record.id) for i in found for p in i.products)
    referenced = {e.article_id for e in events if e.article_id is not None}
    articles, article_versions = with_history(arts.articles, [u for u in users if u.role == "editor"], referenced)
    return DemoData(
        categories=tuple(DemoCategory(f"cat-{key}", key, name) for key, name in catalog.CATEGORIES),
        products=cat.products,
        features=tuple(DemoFeature(f"ftr-{key}", name, description) for key, name, description in catalog.FEATURES),
        known_issues=tuple(i.record for i in found),
        solutions=tuple(solutions),
        articles=articles,
        users=tuple(users),
        content_items=tuple(content),
        tickets=tuple(tickets),
        events=tuple(events),
        has_feature=has_feature,
        compatible_with=compatible_with,
        affected_by=affected_by,
        resolved_by=tuple(resolved_by),
        documented_in=arts.documented_in,
        succeeds=succeeds,
        accessory_for=accessory_links(cat.products, compatible_with),
        affects_firmware=affected_firmware([i.record for i in found], affected_by, firmware),
        firmware=firmware,
        article_versions=article_versions,
        partners=access.build_partners(users, _rng("partners")),
        deactivated_user_ids=access.deactivated_users(users, _rng("deactivated")),
        content_templates=studio.templates,
        generation_jobs=studio.jobs,
    )
