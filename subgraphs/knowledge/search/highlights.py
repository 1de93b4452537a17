"""Marking query words in a text without the full-text engine: for hybrid search's candidates.

FTS5's ``snippet()`` re-reads each hit's prefix matches from the index; at 50,000 passages that
was ~2 ms a hit under load (``bench/retrieval.py``), where marking the stored text in Python costs
microseconds. A word is marked when it starts with a query word or its indexed (stemmed) form, as
a prefix query matches it.
"""

from __future__ import annotations

import re

HIGHLIGHT_START, HIGHLIGHT_END = "<mark>", "</mark>"
HIGHLIGHT_CHARS = 160
MIN_MARK_CHARS = 3  # a shorter query word would mark every word it starts
_WORD = re.compile(r"\w+", re.UNICODE)


def mark(text: str, terms: set[str]) -> str:
    """``text`` with every word that is one of ``terms`` (or starts with one) marked."""

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        lowered = word.lower()
        if any(lowered.startswith(term) for term in terms if len(term) >= MIN_MARK_CHARS) or lowered in terms:
            return f"{HIGHLIGHT_START}{word}{HIGHLIGHT_END}"
        return word

    return _WORD.sub(replace, text)


def excerpt(text: str, terms: set[str]) -> str:
    """A short window of ``text`` around its first query word, marked."""
    lowered = text.lower()
    first = min((i for term in terms if len(term) >= MIN_MARK_CHARS and (i := lowered.find(term)) >= 0), default=0)
    start = max(0, first - HIGHLIGHT_CHARS // 3)
    window = text[start : start + HIGHLIGHT_CHARS].replace("\n", " ")
    return ("…" if start else "") + mark(window, terms) + ("…" if start + HIGHLIGHT_CHARS < len(text) else "")
