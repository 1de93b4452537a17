"""Every article's history: who wrote it, who edited it, how it moved draft → review → published → archived.

Generated after everything else so the other domains' data (events about articles) stays as it
was: only articles no event refers to are moved to ``review`` or ``archived``.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from demo.model import DemoArticle, DemoArticleVersion

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from demo.model import DemoUser

SEED = 20261128
DRAFTED_BY = datetime(2026, 10, 20, tzinfo=UTC)  # unpublished articles were started in the weeks before
EDIT_NOTE = "\n\n_Updated: clarified the steps after reader feedback._"
REVIEW_EVERY = 3  # one draft in three is waiting for review
ARCHIVE_EVERY = 2  # one unreferenced published release note, guide or FAQ in two is archived


def with_history(
    articles: Sequence[DemoArticle], editors: Sequence[DemoUser], referenced: Collection[str]
) -> tuple[tuple[DemoArticle, ...], tuple[DemoArticleVersion, ...]]:
    """The articles with their final statuses, and every article's versions (the last equals the article)."""
    rng = random.Random(SEED)  # noqa: S311 - a fixed seed for a repeatable dataset, not a secret
    final: list[DemoArticle] = []
    versions: list[DemoArticleVersion] = []
    drafts = releases = 0
    for article in articles:
        status = article.status
        if status == "draft":
            drafts += 1
            if drafts % REVIEW_EVERY == 0 and article.id not in referenced:
                status = "review"
        elif article.kind != "troubleshooting" and article.id not in referenced:
            releases += 1
            if releases % ARCHIVE_EVERY == 0:
                status = "archived"
        history = _history(replace(article, status=status), rng, [editor.id for editor in editors])
        final.append(replace(article, status=status, body=history[-1].body))
        versions += history
    return tuple(final), tuple(versions)


def _history(article: DemoArticle, rng: random.Random, editors: list[str]) -> list[DemoArticleVersion]:
    author = rng.choice(editors) if editors else None
    reviewer = rng.choice(editors) if editors else None
    anchor = article.published_at or DRAFTED_BY
    created = anchor - timedelta(days=rng.randint(3, 10), hours=rng.randint(0, 12))
    edited = rng.random() < 0.3  # noqa: PLR2004 - three articles in ten were edited once after writing
    first_body = article.body.removesuffix(EDIT_NOTE) if edited else article.body
    body = article.body + EDIT_NOTE if edited and not article.body.endswith(EDIT_NOTE) else article.body
    steps: list[tuple[str, str, str, str | None, timedelta]] = [("created", "draft", first_body, author, timedelta())]
    if edited:
        steps.append(("edited", "draft", body, author, timedelta(days=1)))
    if article.status in ("review", "published", "archived"):
        steps.append(("status_changed", "review", body, author, timedelta(days=2)))
    if article.status in ("published", "archived"):
        steps.append(("status_changed", "published", body, reviewer, anchor - created))
    if article.status == "archived":
        steps.append(("status_changed", "archived", body, reviewer, anchor - created + timedelta(days=90)))
    return [
        DemoArticleVersion(
            article_id=article.id,
            number=number,
            change=change,
            title=article.title,
            body=text,
            status=status,
            author_id=who,
            created_at=created + offset,
        )
        for number, (change, status, text, who, offset) in enumerate(steps, start=1)
    ]
