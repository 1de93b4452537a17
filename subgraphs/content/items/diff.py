"""Differences between two revisions of an item: a unified diff, line by line, plus counts."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from subgraphs.content.items.repository import RevisionRecord

CONTEXT_LINES = 3


@dataclass(frozen=True, slots=True)
class RevisionDiff:
    from_number: int
    to_number: int
    unified: str
    """``difflib.unified_diff`` text, files named ``revision <n>``; empty when the bodies are equal."""
    added_lines: int
    removed_lines: int


def diff_revisions(old: RevisionRecord, new: RevisionRecord) -> RevisionDiff:
    lines = list(
        difflib.unified_diff(
            old.body.splitlines(keepends=True),
            new.body.splitlines(keepends=True),
            fromfile=f"revision {old.number}",
            tofile=f"revision {new.number}",
            n=CONTEXT_LINES,
        )
    )
    # A body without a final newline would glue its last line to the next diff line.
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    body = [line for line in lines if not line.startswith(("+++", "---"))]
    return RevisionDiff(
        from_number=old.number,
        to_number=new.number,
        unified=text,
        added_lines=sum(line.startswith("+") for line in body),
        removed_lines=sum(line.startswith("-") for line in body),
    )
