"""Random valid query operations over an API schema, reproducible from a seed.

Each operation asks one to three root fields and walks down from them: nested selections that
cross subgraphs, aliases, inline fragments and named fragments on the interfaces and unions (and
on object types), ``@skip``/``@include`` with literals and variables, arguments as literals or
variables. Argument values come from the demo data (``Pools``): the ids, slugs and words that
exist, with now and then one that does not, so lookups hit real records and also miss.

Only queries: a mutation would change what the second gateway asked about sees. A candidate the
schema does not validate (two fragments giving one response key two meanings, say) is drawn again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    get_named_type,
    parse,
    validate,
)
from graphql.pyutils import Undefined
from graphql.validation import OverlappingFieldsCanBeMergedRule

if TYPE_CHECKING:
    import random

    from graphql import GraphQLArgument, GraphQLField, GraphQLInputType, GraphQLNamedType, GraphQLSchema

    from demo.model import DemoData

# An id that no record has: lookups must miss the same way on both gateways.
MISSING_ID = "nope-404"
MAX_ATTEMPTS = 50
# Product-name words this short ("Pro", "NC") match too much to be interesting search terms.
SHORT_WORD = 3


@dataclass(frozen=True, slots=True)
class Operation:
    """One generated operation: its text and the variables sent with it."""

    query: str
    variables: dict[str, Any]


@dataclass(frozen=True)
class Pools:
    """Argument values that exist in the demo data: ids per type, slugs and words."""

    ids: dict[str, tuple[str, ...]]
    product_slugs: tuple[str, ...]
    article_slugs: tuple[str, ...]
    words: tuple[str, ...]
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    series: tuple[str, ...]
    locales: tuple[str, ...] = ("en-US", "de-DE", "fr-FR")
    dates: tuple[str, ...] = ("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z")

    @classmethod
    def of(cls, data: DemoData) -> Pools:
        ids = {
            "Product": tuple(p.id for p in data.products),
            "Feature": tuple(f.id for f in data.features),
            "KnownIssue": tuple(k.id for k in data.known_issues),
            "Solution": tuple(s.id for s in data.solutions),
            "Article": tuple(a.id for a in data.articles),
            "ContentItem": tuple(c.id for c in data.content_items),
            "ContentTemplate": tuple(t.id for t in data.content_templates),
            "GenerationJob": tuple(j.id for j in data.generation_jobs),
            "Ticket": tuple(t.id for t in data.tickets),
            "User": tuple(u.id for u in data.users),
            "Partner": tuple(p.id for p in data.partners),
        }
        words = {w.lower() for p in data.products for w in p.name.split() if w.isalpha() and len(w) > SHORT_WORD}
        words |= {"battery", "bluetooth", "noise", "firmware", "pairing", "charging", "zzzyx"}
        return cls(
            ids=ids,
            product_slugs=(*(p.slug for p in data.products), "no-such-product"),
            article_slugs=(*(a.slug for a in data.articles), "no-such-article"),
            words=tuple(sorted(words)),
            tags=tuple(sorted({t for a in data.articles for t in a.tags})),
            categories=tuple(c.slug for c in data.categories),
            series=tuple(sorted({p.series for p in data.products})),
        )

    def knowledge_ids(self) -> tuple[str, ...]:
        return tuple(i for kind in ("Product", "Feature", "KnownIssue", "Solution", "Article") for i in self.ids[kind])


# Arguments that name a record by what they are called rather than by the field's type.
ID_ARGUMENTS = {
    "productId": "Product",
    "product": "Product",
    "feature": "Feature",
    "assigneeId": "User",
    "actorId": "User",
    "targetId": "User",
    "userId": "User",
    "partnerId": "Partner",
    "ticketId": "Ticket",
    "templateId": "ContentTemplate",
}


@dataclass
class _Document:
    """What one operation collects while it is written: variables and fragment definitions."""

    variables: dict[str, tuple[str, Any]] = field(default_factory=dict)
    fragments: list[str] = field(default_factory=list)
    names: int = 0

    def fresh(self, prefix: str) -> str:
        self.names += 1
        return f"{prefix}{self.names}"


class OperationGenerator:
    """Draws operations from ``schema``'s query type; the same seed gives the same operations."""

    def __init__(self, schema: GraphQLSchema, pools: Pools, rng: random.Random) -> None:
        self.schema = schema
        self.pools = pools
        self.rng = rng
        query_type = schema.query_type
        if query_type is None:
            msg = "the schema has no query type"
            raise ValueError(msg)
        self.query_type = query_type

    def operation(self) -> Operation:
        """One valid operation (drawn again until the schema validates it)."""
        for _ in range(MAX_ATTEMPTS):
            candidate = self._candidate()
            # Drawn from the schema, a candidate can only fail on fields that cannot merge (two
            # fragments giving one response key different fields or arguments): that rule alone
            # is checked, 5x faster than all of them (both gateways still validate everything).
            if not validate(self.schema, parse(candidate.query), [OverlappingFieldsCanBeMergedRule]):
                return candidate
        msg = f"no valid operation in {MAX_ATTEMPTS} attempts"
        raise RuntimeError(msg)

    def _candidate(self) -> Operation:
        document = _Document()
        depth = self.rng.randint(2, 4)
        roots = self.rng.sample(sorted(self.query_type.fields), self.rng.randint(1, 3))
        used: set[str] = set()
        parts = [self._field(self.query_type, name, depth, document, used) for name in roots]
        definitions = ", ".join(f"${name}: {type_}" for name, (type_, _) in document.variables.items())
        header = f"query Q({definitions})" if definitions else "query Q"
        text = " ".join([f"{header} {{ {' '.join(parts)} }}", *document.fragments])
        return Operation(text, {name: value for name, (_, value) in document.variables.items()})

    # --- selections ----------------------------------------------------------------------------

    def _selection(self, named: GraphQLNamedType, depth: int, document: _Document) -> str:
        """``{ ... }`` for a composite type, ``depth`` levels at most below it."""
        if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
            return self._abstract(named, depth, document)
        if not isinstance(named, GraphQLObjectType):
            msg = f"{named} has no selection"
            raise TypeError(msg)
        used: set[str] = set()
        parts = self._fields(named, depth, document, used)
        roll = self.rng.random()
        if roll < 0.1:  # noqa: PLR2004 - how often a selection is wrapped in a fragment of its own type
            parts.append(f"... on {named.name} {{ {' '.join(self._fields(named, depth, document, used))} }}")
        elif roll < 0.2:  # noqa: PLR2004
            parts.append(self._named_fragment(named, depth, document))
        return "{ " + " ".join(parts) + " }"

    def _abstract(self, named: GraphQLUnionType | GraphQLInterfaceType, depth: int, document: _Document) -> str:
        parts: list[str] = []
        if self.rng.random() < 0.5:  # noqa: PLR2004 - half the abstract selections ask their type name
            parts.append("__typename")
        if isinstance(named, GraphQLInterfaceType) and self.rng.random() < 0.7:  # noqa: PLR2004
            parts.extend(self._fields(named, depth, document, set()))
        possible = sorted(self.schema.get_possible_types(named), key=lambda t: t.name)
        for member in self.rng.sample(possible, min(len(possible), self.rng.randint(1, 3))):
            if self.rng.random() < 0.3:  # noqa: PLR2004 - some as named fragments
                parts.append(self._named_fragment(member, depth, document))
            else:
                fields = self._fields(member, depth, document, set())
                parts.append(f"... on {member.name}{self._directive(document)} {{ {' '.join(fields)} }}")
        return "{ " + " ".join(parts or ["__typename"]) + " }"

    def _named_fragment(self, named: GraphQLObjectType, depth: int, document: _Document) -> str:
        name = document.fresh("F")
        fields = self._fields(named, depth, document, set())
        document.fragments.append(f"fragment {name} on {named.name} {{ {' '.join(fields)} }}")
        return f"...{name}{self._directive(document)}"

    def _fields(
        self, named: GraphQLObjectType | GraphQLInterfaceType, depth: int, document: _Document, used: set[str]
    ) -> list[str]:
        names = sorted(named.fields)
        if depth <= 0:  # only leaves at the bottom
            names = [n for n in names if _is_leaf(named.fields[n])] or ["__typename"]
        chosen = self.rng.sample(names, min(len(names), self.rng.randint(1, 3)))
        return [self._field(named, name, depth, document, used) for name in chosen]

    def _field(
        self,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        name: str,
        depth: int,
        document: _Document,
        used: set[str],
    ) -> str:
        if name == "__typename":
            return name
        definition = parent.fields[name]
        key = name
        if name in used or self.rng.random() < 0.2:  # noqa: PLR2004 - an alias now and then, always on a repeat
            key = document.fresh("a") + "_" + name
        used.add(key)
        head = name if key == name else f"{key}: {name}"
        arguments = self._arguments(parent, name, definition, document)
        text = f"{head}{arguments}{self._directive(document)}"
        named = get_named_type(definition.type)
        if _is_leaf(definition):
            return text
        return f"{text} {self._selection(named, depth - 1, document)}"

    def _directive(self, document: _Document) -> str:
        roll = self.rng.random()
        if roll >= 0.12:  # noqa: PLR2004 - most selections carry no directive
            return ""
        name = "skip" if roll < 0.06 else "include"  # noqa: PLR2004
        if self.rng.random() < 0.5:  # noqa: PLR2004 - half by variable
            variable = document.fresh("c")
            document.variables[variable] = ("Boolean!", self.rng.random() < 0.5)  # noqa: PLR2004
            return f" @{name}(if: ${variable})"
        return f" @{name}(if: {json.dumps(self.rng.random() < 0.5)})"  # noqa: PLR2004

    # --- arguments -----------------------------------------------------------------------------

    def _arguments(
        self, parent: GraphQLObjectType | GraphQLInterfaceType, name: str, definition: GraphQLField, document: _Document
    ) -> str:
        parts: list[str] = []
        returns = get_named_type(definition.type).name
        for arg_name, argument in sorted(definition.args.items()):
            required = isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
            if arg_name == "after" or (not required and self.rng.random() >= 0.3):  # noqa: PLR2004
                continue
            value = self._value(parent.name, name, returns, arg_name, argument)
            if value is _SKIP:
                continue
            if self.rng.random() < 0.3:  # noqa: PLR2004 - some through variables
                variable = document.fresh("v")
                document.variables[variable] = (str(argument.type), value)
                parts.append(f"{arg_name}: ${variable}")
            else:
                parts.append(f"{arg_name}: {_literal(value, argument.type)}")
        return f"({', '.join(parts)})" if parts else ""

    def _value(  # noqa: C901, PLR0911, PLR0912 - one branch per kind of argument
        self, parent: str, field_name: str, returns: str, arg_name: str, argument: GraphQLArgument
    ) -> Any:
        rng, pools = self.rng, self.pools
        arg_type = argument.type.of_type if isinstance(argument.type, GraphQLNonNull) else argument.type
        if isinstance(arg_type, GraphQLList):
            item = get_named_type(arg_type)
            if isinstance(item, GraphQLEnumType):
                return rng.sample(sorted(item.values), rng.randint(1, min(2, len(item.values))))
            return _SKIP
        if isinstance(arg_type, GraphQLEnumType):
            return rng.choice(sorted(arg_type.values))
        if isinstance(arg_type, GraphQLInputObjectType) or not isinstance(arg_type, GraphQLScalarType):
            return _SKIP
        scalar = arg_type.name
        if scalar == "Boolean":
            return rng.random() < 0.5  # noqa: PLR2004
        if scalar == "Int":
            if arg_name == "first":
                return rng.randint(1, 3)
            if arg_name in {"depth", "maxDepth"}:
                return rng.randint(1, 3)
            return rng.randint(1, 3)  # revisions (diff from/to) and the like: small numbers exist
        if scalar == "DateTime":
            return rng.choice(pools.dates) if arg_name == "from" else "2026-11-01T00:00:00Z"
        if scalar == "ID":
            kind = returns if arg_name == "id" else ID_ARGUMENTS.get(arg_name)
            candidates = pools.ids.get(kind or "", ()) or pools.knowledge_ids()
            return MISSING_ID if rng.random() < 0.05 else rng.choice(candidates)  # noqa: PLR2004
        if arg_name == "slug":
            return rng.choice(pools.product_slugs if returns == "Product" else pools.article_slugs)
        if arg_name == "locale":
            return rng.choice(pools.locales)
        if arg_name == "tag":
            return rng.choice(pools.tags) if pools.tags else _SKIP
        if arg_name == "category":
            return rng.choice(pools.categories)
        if arg_name == "series":
            return rng.choice(pools.series)
        if arg_name == "query":
            return " ".join(rng.sample(pools.words, rng.randint(1, 2)))
        del parent, field_name  # every other String: a word that may or may not match
        return rng.choice(pools.words)


_SKIP = object()


def _is_leaf(definition: GraphQLField) -> bool:
    return isinstance(get_named_type(definition.type), GraphQLScalarType | GraphQLEnumType)


def _literal(value: Any, arg_type: GraphQLInputType) -> str:
    """``value`` written as a GraphQL literal of ``arg_type`` (enums unquoted)."""
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item, arg_type) for item in value) + "]"
    if isinstance(get_named_type(arg_type), GraphQLEnumType):
        return str(value)
    return json.dumps(value)
