"""Variants of the TestQuery that are new documents with the same answer, for the cold round.

Each variant shuffles the fields of every selection set, renames the fragments, inlines some
spreads, aliases some fields and names the operation differently. Its names carry a ``__N__``
placeholder that ``cycle.lua`` replaces with a request counter, so every request the round sends
is a document no gateway has seen before, while the bench generates only a few hundred variants.

An answer is checked against the canonical TestQuery's with the variant's aliases mapped back to
field names (``unalias``): same data, keys compared as dictionaries since the field order is the
variant's own.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
)

PLACEHOLDER = "__N__"
ALIAS_SHARE = 0.3
INLINE_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class Variant:
    """A document template: ``PLACEHOLDER`` stands for the request counter in every name."""

    body: str  # the JSON request body
    aliases: dict[str, str]  # alias template -> field name

    def filled(self, counter: int) -> bytes:
        return self.body.replace(PLACEHOLDER, str(counter)).encode()

    def unalias(self, answer: Any, counter: int) -> Any:
        """The answer with this variant's aliases (for ``counter``) renamed to their fields."""
        names = {alias.replace(PLACEHOLDER, str(counter)): name for alias, name in self.aliases.items()}

        def walk(value: Any) -> Any:
            if isinstance(value, dict):
                return {names.get(key, key): walk(inner) for key, inner in value.items()}
            if isinstance(value, list):
                return [walk(inner) for inner in value]
            return value

        return walk(answer)


def variants(query: str, count: int, seed: int = 15) -> list[Variant]:
    """``count`` distinct variants of ``query`` (a document with one operation and its fragments)."""
    document = parse(query)
    made: list[Variant] = []
    seen: set[str] = set()
    rng = random.Random(seed)  # noqa: S311 - reproducible variants, not secrets
    while len(made) < count:
        variant = _Rewrite(rng, len(made)).document(document)
        if variant.body not in seen:
            seen.add(variant.body)
            made.append(variant)
    return made


class _Rewrite:
    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng = rng
        self.index = index
        self.aliases: dict[str, str] = {}
        self.fragments: dict[str, FragmentDefinitionNode] = {}
        self.renamed: dict[str, str] = {}
        self.spread: set[str] = set()

    def document(self, document: DocumentNode) -> Variant:
        fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
        self.fragments = {f.name.value: f for f in fragments}
        self.renamed = {
            name: f"{name[0]}{self.rng.choice('abcdefgh')}{i}_{PLACEHOLDER}" for i, name in enumerate(self.fragments)
        }
        operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        operation_name = f"{self.rng.choice(('Q', 'Test', 'Shop', 'Page'))}{self.index}_{PLACEHOLDER}"
        rewritten_operation = replace(
            operation, name=NameNode(value=operation_name), selection_set=self.selection_set(operation.selection_set)
        )
        rewritten = [
            replace(
                fragment,
                name=NameNode(value=self.renamed[fragment.name.value]),
                selection_set=self.selection_set(fragment.selection_set),
            )
            for fragment in fragments
        ]
        # A fragment inlined at every spread is no longer used, and an unused fragment is invalid.
        # (The TestQuery's fragments spread no other fragment, so one pass suffices.)
        definitions: list[Any] = [rewritten_operation, *(f for f in rewritten if f.name.value in self.spread)]
        self.rng.shuffle(definitions)
        text = print_ast(DocumentNode(definitions=tuple(definitions)))
        body = json.dumps({"query": text, "operationName": operation_name})
        return Variant(body, dict(self.aliases))

    def selection_set(self, selection_set: SelectionSetNode) -> SelectionSetNode:
        selections = [self.selection(selection) for selection in selection_set.selections]
        self.rng.shuffle(selections)
        return SelectionSetNode(selections=tuple(selections))

    def selection(self, selection: Any) -> Any:
        if isinstance(selection, FragmentSpreadNode):
            fragment = self.fragments[selection.name.value]
            if self.rng.random() < INLINE_SHARE:
                return InlineFragmentNode(
                    type_condition=fragment.type_condition, selection_set=self.selection_set(fragment.selection_set)
                )
            self.spread.add(self.renamed[selection.name.value])
            return FragmentSpreadNode(name=NameNode(value=self.renamed[selection.name.value]))
        assert isinstance(selection, FieldNode)  # noqa: S101 - the TestQuery has fields and spreads only
        alias = None
        if self.rng.random() < ALIAS_SHARE:
            name = f"{selection.name.value[:3]}{len(self.aliases)}_{PLACEHOLDER}"
            self.aliases[name] = selection.name.value
            alias = NameNode(value=name)
        inner = self.selection_set(selection.selection_set) if selection.selection_set else None
        return FieldNode(name=selection.name, alias=alias, arguments=selection.arguments, selection_set=inner)
