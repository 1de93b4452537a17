"""``extensions.retrieval`` on a response: says when a search or answer was degraded, and why.

A resolver puts what the client should know into ``context.notes``; this extension adds it to the
response once the operation has run (a degraded answer is labelled, never silently weaker).
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import SchemaExtension


class RetrievalNotes(SchemaExtension):
    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        notes = getattr(context, "notes", None)
        return {"retrieval": dict(notes)} if notes else {}
