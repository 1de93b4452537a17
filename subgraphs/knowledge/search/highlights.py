"""Marking query words in a text without the full-text engine: for hybrid search's candidates.

FTS5's ``snippet()`` re-reads each hit's prefix matches from the index; at 50,000 passages that
was ~2 ms a hit under load (``bench/retrieval.py``), where marking the stored text in Python costs
microseconds. A word is marked when it starts with a query word or its indexed (stemmed) form, as
a prefix query matches it.

A hybrid search marks ~90 texts. Calling back into Python for every word made marking its
hottest Python (~13 ms a search, measured on the demo's article bodies); ASCII texts, nearly all
of the corpus, are marked by one compiled pattern instead (~10x faster), which on ASCII marks
exactly what the per-word rule marks. Other texts keep the per-word rule.
"""

from __future__ import annotations

import re
from functools import lru_cache

HIGHLIGHT_START, HIGHLIGHT_END = "<mark>", "</mark>"
HIGHLIGHT_CHARS = 160
MIN_MARK_CHARS = 3  # a shorter query word would mark every word it starts
_WORD = re.compile(r"\w+", re.UNICODE)
_MARKED = f"{HIGHLIGHT_START}\\g<0>{HIGHLIGHT_END}"


@lru_cache(maxsize=256)
def _prefixes(terms: frozenset[str]) -> tuple[str, ...]:
    """The terms that mark the words they start (one tuple: ``str.startswith`` takes it in one call)."""
    return tuple(sorted(term for term in terms if len(term) >= MIN_MARK_CHARS))


@lru_cache(maxsize=256)
def _ascii_pattern(terms: frozenset[str]) -> re.Pattern[str] | None:
    """What marks an ASCII text: a word starting with a long term, or equal to a short one.

    On ASCII text, ``IGNORECASE`` equals comparing ``lower()``; a term that is not lower-case
    ASCII can never match a lowered ASCII word, so it is left out. None when nothing can match.
    """
    usable = [term for term in terms if term.isascii() and term == term.lower()]
    long = sorted((re.escape(t) for t in usable if len(t) >= MIN_MARK_CHARS), key=lambda t: (-len(t), t))
    short = sorted((re.escape(t) for t in usable if len(t) < MIN_MARK_CHARS), key=lambda t: (-len(t), t))
    parts = []
    if long:
        parts.append(rf"(?<!\w)(?:{'|'.join(long)})\w*")
    if short:
        parts.append(rf"(?<!\w)(?:{'|'.join(short)})(?!\w)")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def mark(text: str, terms: set[str] | frozenset[str]) -> str:
    """``text`` with every word that is one of ``terms`` (or starts with one) marked."""
    frozen = frozenset(terms)
    if text.isascii():
        pattern = _ascii_pattern(frozen)
        return text if pattern is None else pattern.sub(_MARKED, text)
    prefixes = _prefixes(frozen)

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        lowered = word.lower()
        if lowered.startswith(prefixes) or lowered in frozen:
            return f"{HIGHLIGHT_START}{word}{HIGHLIGHT_END}"
        return word

    return _WORD.sub(replace, text)


def excerpt(text: str, terms: set[str] | frozenset[str]) -> str:
    """A short window of ``text`` around its first query word, marked."""
    lowered = text.lower()
    first = min((i for term in _prefixes(frozenset(terms)) if (i := lowered.find(term)) >= 0), default=0)
    start = max(0, first - HIGHLIGHT_CHARS // 3)
    window = text[start : start + HIGHLIGHT_CHARS].replace("\n", " ")
    return ("…" if start else "") + mark(window, terms) + ("…" if start + HIGHLIGHT_CHARS < len(text) else "")
