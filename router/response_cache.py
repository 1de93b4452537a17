"""Whole responses of public queries, cached for ``CACHE_TTL`` seconds, purged by entity.

Only anonymous queries answered without errors are cached: anything a token or API key could
change (personal data, scope-dependent fields) never is, and neither is a partial failure.
Each entry is tagged with the entities it contains (``Product:p-1``) and with every object type
its selection could hold (``type:Article``); a mutation's answer names the entities and types it
changed, and every cached response holding one of them is dropped at once rather than served
stale until it expires, including lists and searches a new object now belongs in. Answers are
also tagged with the subgraphs they read (``subgraph:support``), and a mutation purges the
subgraphs its root fields changed: a field one subgraph adds to another's entity (support's
``Product.openTicketCount``) changes without that entity appearing in the mutation's answer. Entries live
in the key-value store (Redis shared by router replicas, or in-process). Tag lists are
read-modify-write: two replicas caching the same entity at the same instant may lose one key
from a list, which then lives out its TTL, a bounded cost.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    GraphQLList,
    GraphQLNonNull,
    InlineFragmentNode,
    get_named_type,
    is_abstract_type,
    is_object_type,
)

from router.lru import CACHE_LOOKUPS

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from graphql import (
        GraphQLNamedType,
        GraphQLObjectType,
        GraphQLOutputType,
        GraphQLSchema,
        OperationDefinitionNode,
        SelectionSetNode,
    )

    from kcp.stores.keyvalue import KeyValueStore

# A tag list longer than this is not extended: an entity in very many cached answers is purged by
# its TTL instead of growing one value without bound.
MAX_KEYS_PER_TAG = 1000


def cache_key(document_hash: str, operation_name: str | None, variables: Mapping[str, Any]) -> str:
    canonical = json.dumps(variables, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(f"{document_hash}\0{operation_name or ''}\0{canonical}".encode()).hexdigest()
    return f"response:{digest}"


def entity_key_fields(keys: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Each entity's simplest single-field ``@key`` (``id``, ``upc``): what tags name it by.

    ``keys`` maps a type to its key field sets; compound and nested keys are skipped (an entity
    with only those is tagged by ``id`` when it selects one).
    """
    chosen: dict[str, str] = {}
    for type_name, field_sets in keys.items():
        simple = sorted(f.strip() for f in field_sets if f.strip().isidentifier())
        if simple:
            chosen[type_name] = "id" if "id" in simple else simple[0]
    return chosen


class _Tagger:
    def __init__(self, schema: GraphQLSchema, key_fields: Mapping[str, str]) -> None:
        self.key_fields = key_fields
        self.schema = schema
        self.tags: set[str] = set()

    def fields(self, selection_set: SelectionSetNode, type_: GraphQLObjectType) -> Iterable[FieldNode]:
        """The fields selected on an object of ``type_`` (fragments that apply, flattened)."""
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, type_):
                    yield from self.fields(selection.selection_set, type_)
            # A normalised operation has no fragment spreads (router.pipeline.normalise).

    def _applies(self, condition: str, type_: GraphQLObjectType) -> bool:
        named = self.schema.get_type(condition)
        if named is None:
            return False
        return named is type_ or (is_abstract_type(named) and self.schema.is_sub_type(named, type_))

    def value(self, value: Any, type_: GraphQLOutputType, selection_set: SelectionSetNode | None) -> None:
        if value is None or selection_set is None:
            return
        if isinstance(type_, GraphQLNonNull):
            self.value(value, type_.of_type, selection_set)
            return
        if isinstance(type_, GraphQLList):
            for item in value if isinstance(value, list) else ():
                self.value(item, type_.of_type, selection_set)
            return
        if not isinstance(value, dict):
            return
        named = get_named_type(type_)
        if is_abstract_type(named):
            concrete = self.schema.get_type(str(value.get("__typename", "")))
            if concrete is None or not is_object_type(concrete):
                return  # no __typename selected: the entity cannot be named, so it is not tagged
            named = concrete
        if is_object_type(named):
            self.object(value, named, selection_set)

    def object(self, value: dict[str, Any], type_: GraphQLObjectType, selection_set: SelectionSetNode) -> None:
        for field in self.fields(selection_set, type_):
            key = field.alias.value if field.alias else field.name.value
            if field.name.value == self.key_fields.get(type_.name, "id") and isinstance(value.get(key), str | int):
                self.tags.add(f"{type_.name}:{value[key]}")
            definition = type_.fields.get(field.name.value)
            if definition is None:
                continue
            if field.selection_set is not None:
                self.type_tags(get_named_type(definition.type))
            if key in value:
                self.value(value[key], definition.type, field.selection_set)

    def type_tags(self, named: GraphQLNamedType) -> None:
        # Every type the answer could hold, found or not: a new or changed object of that type may
        # belong in a list that was empty or shorter when it was cached.
        if is_object_type(named):
            self.tags.add(f"type:{named.name}")
        elif is_abstract_type(named):
            self.tags.update(f"type:{t.name}" for t in self.schema.get_possible_types(named))


def entity_tags(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    data: Mapping[str, Any] | None,
    key_fields: Mapping[str, str] | None = None,
) -> set[str]:
    """``Type:key`` for every object in ``data`` whose key field (``id`` by default) was selected."""
    root = schema.get_root_type(operation.operation)
    if root is None or not data:
        return set()
    tagger = _Tagger(schema, key_fields or {})
    tagger.object(dict(data), root, operation.selection_set)
    return tagger.tags


class ResponseCache:
    def __init__(self, store: KeyValueStore, ttl_seconds: int) -> None:
        self._store = store
        self._ttl = ttl_seconds

    @property
    def enabled(self) -> bool:
        return self._ttl > 0

    async def get(self, key: str) -> bytes | None:
        """The serialised answer, kept as it was sent: a hit costs no JSON work."""
        raw = await self._store.get(key)
        CACHE_LOOKUPS.labels("responses", "miss" if raw is None else "hit").inc()
        return None if raw is None else raw.encode()

    async def put(self, key: str, body: bytes, tags: set[str]) -> None:
        await self._store.set(key, body.decode(), self._ttl)
        for tag in tags:
            keys = await self._tagged(tag)
            if key not in keys and len(keys) < MAX_KEYS_PER_TAG:
                await self._store.set(f"tag:{tag}", json.dumps([*keys, key]), self._ttl)

    async def purge(self, tags: set[str]) -> int:
        """Drop every cached response holding one of ``tags``; how many were dropped."""
        dropped = 0
        for tag in tags:
            for key in await self._tagged(tag):
                dropped += await self._store.delete(key)
            await self._store.delete(f"tag:{tag}")
        return dropped

    async def _tagged(self, tag: str) -> list[str]:
        raw = await self._store.get(f"tag:{tag}")
        keys = [] if raw is None else json.loads(raw)
        return [key for key in keys if isinstance(key, str)]
