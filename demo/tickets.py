"""What happens to the demo tickets after their thread: tags, solve and close times, CSAT ratings.

Drawn from a random stream of its own, so adding these outcomes left every other demo record
exactly as it was.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from typing import TYPE_CHECKING

from demo.model import DemoRating, DemoTicket

if TYPE_CHECKING:
    import random
    from collections.abc import Mapping, Sequence

# Topic tags an agent would add, found by keyword (a word's start) in the subject and description.
TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (tag, re.compile(rf"\b(?:{pattern})"))
    for tag, pattern in (
        ("pairing", r"pair|bluetooth|connect"),
        ("battery", r"battery|drain|charg"),
        ("firmware", r"firmware|update"),
        ("audio", r"sound\b|audio|noise|anc\b|crackl|volume|microphone|mic\b"),
        ("app", r"app\b"),
        ("order", r"order|deliver|shipping|refund|warranty|replace"),
    )
)
RATED_SHARE = 0.6
SCORE_WEIGHTS = {5: 45, 4: 25, 3: 12, 2: 8, 1: 10}
COMMENTS: dict[int, tuple[str, ...]] = {
    5: ("Quick and friendly, thank you!", "Fixed in minutes.", "Great support."),
    4: ("Solved, took a little while.", "Good help."),
    3: ("It works now, but I had to ask twice.",),
    2: ("Slow answers.", "Had to explain everything again."),
    1: ("Still not happy with the product.", "Nobody read my first message."),
}


def _tags(ticket: DemoTicket, category: str, rng: random.Random) -> tuple[str, ...]:
    text = f"{ticket.subject} {ticket.description}".lower()
    topics = [tag for tag, pattern in TOPICS if pattern.search(text)]
    extra = ["vip"] if rng.random() < 0.05 else []  # noqa: PLR2004 - one customer in twenty
    return (category, *topics[:3], *extra)


def _rating(ticket: DemoTicket, rng: random.Random) -> DemoRating | None:
    if ticket.solved_at is None or rng.random() >= RATED_SHARE:
        return None
    score = rng.choices(list(SCORE_WEIGHTS), weights=list(SCORE_WEIGHTS.values()))[0]
    comment = rng.choice(COMMENTS[score]) if rng.random() < 0.5 else None  # noqa: PLR2004 - every other rating
    return DemoRating(score, comment, ticket.solved_at + timedelta(hours=rng.randint(1, 72)))


def with_outcomes(
    tickets: Sequence[DemoTicket], category_of: Mapping[str, str], rng: random.Random
) -> list[DemoTicket]:
    """The tickets with tags, and solve/close times and ratings where their status says so."""
    finished: list[DemoTicket] = []
    for ticket in tickets:
        last = ticket.messages[-1].created_at if ticket.messages else ticket.created_at
        solved_at = closed_at = None
        if ticket.status in ("solved", "closed"):
            solved_at = last + timedelta(minutes=rng.randint(5, 60 * 24))
        if ticket.status == "closed" and solved_at is not None:
            closed_at = solved_at + timedelta(days=rng.randint(3, 7))
        outcome = dataclasses.replace(
            ticket, tags=_tags(ticket, category_of[ticket.product_id], rng), solved_at=solved_at, closed_at=closed_at
        )
        finished.append(dataclasses.replace(outcome, rating=_rating(outcome, rng)))
    return finished
