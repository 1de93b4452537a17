"""A validation rule that bounds how deeply list-valued relations nest in one document.

Every list relation multiplies the work below it by the number of related records, so
``compatibleWith { compatibleWith { ... } }`` seven deep costs minutes and megabytes for a
150-byte document. The rule counts, along every path of every operation (fragments expanded,
each fragment analysed once), the list-valued relation fields on the path and refuses the
document before anything runs when some path holds more than ``MAX_RELATION_DEPTH``.

A relation field is a field of a non-root type whose type is a list of records (object types
with an ``id``): ``features``, ``knownIssues``, ``solutions``, ``articles``, ``compatibleWith``,
``affectedProducts``, ``products`` on Category/Feature, and ``related`` (a list of records
wrapped with their distance). Singular relations (``category``,
``successor``) do not fan out; root fields are bounded by their own ``first``; value lists such
as ``specs`` hold no relations. ``_entities`` is a root field, so what the router asks below
``... on Product`` counts from there, as it would below ``product(id:)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLObjectType,
    InlineFragmentNode,
    ValidationRule,
    get_named_type,
    get_nullable_type,
)

from kcp.errors import ErrorCode

if TYPE_CHECKING:
    from graphql import GraphQLNamedType, OperationDefinitionNode, SelectionSetNode

MAX_RELATION_DEPTH = 4
_SHOWN_NAMES = MAX_RELATION_DEPTH + 1  # names quoted in the message before "..."


@dataclass(frozen=True, slots=True)
class _Chain:
    """The deepest chain of relation fields found below a selection set."""

    fields: tuple[FieldNode, ...] = ()

    @property
    def depth(self) -> int:
        return len(self.fields)


_EMPTY = _Chain()


# Lists of wrappers around records fan out like lists of records (``related { node { ... } }``).
RECORD_WRAPPERS = frozenset({"RelatedRecord"})


def _is_relation(parent: GraphQLNamedType, field_type: Any, root_types: set[str]) -> bool:
    if parent.name in root_types or not isinstance(get_nullable_type(field_type), GraphQLList):
        return False
    item = get_named_type(field_type)
    if item.name in RECORD_WRAPPERS:
        return True
    return isinstance(item, GraphQLObjectType | GraphQLInterfaceType) and "id" in item.fields


class RelationDepthLimit(ValidationRule):
    """Refuses a document in which list-valued relation fields nest more than ``MAX_RELATION_DEPTH`` deep."""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        schema = context.schema
        self._root_types = {t.name for t in (schema.query_type, schema.mutation_type, schema.subscription_type) if t}
        self._fragments: dict[str, _Chain] = {}  # each fragment's deepest chain, analysed once
        self._in_progress: set[str] = set()  # fragment cycles are NoFragmentCyclesRule's to report

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        schema = self.context.schema
        root = schema.get_root_type(node.operation)
        if root is None:
            return
        chain = self._deepest(node.selection_set, root)
        if chain.depth > MAX_RELATION_DEPTH:
            names = [field.name.value for field in chain.fields[:_SHOWN_NAMES]]
            shown = " > ".join(names) + (" > ..." if chain.depth > _SHOWN_NAMES else "")
            self.report_error(
                GraphQLError(
                    f"relation fields nest {chain.depth} deep ({shown}); at most {MAX_RELATION_DEPTH} are allowed",
                    chain.fields[MAX_RELATION_DEPTH],
                    extensions={"code": str(ErrorCode.BAD_USER_INPUT)},
                )
            )

    def _deepest(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType) -> _Chain:
        deepest = _EMPTY
        for selection in selection_set.selections if selection_set is not None else ():
            if isinstance(selection, FieldNode):
                chain = self._field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = parent if condition is None else self.context.schema.get_type(condition.name.value)
                chain = _EMPTY if target is None else self._deepest(selection.selection_set, target)
            elif isinstance(selection, FragmentSpreadNode):
                chain = self._fragment(selection.name.value)
            else:  # pragma: no cover - graphql-core has no other selection kind
                chain = _EMPTY
            if chain.depth > deepest.depth:
                deepest = chain
        return deepest

    def _field(self, node: FieldNode, parent: GraphQLNamedType) -> _Chain:
        if node.selection_set is None or not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return _EMPTY
        definition = parent.fields.get(node.name.value)
        if definition is None:  # unknown fields are FieldsOnCorrectTypeRule's to report
            return _EMPTY
        below = self._deepest(node.selection_set, get_named_type(definition.type))
        if _is_relation(parent, definition.type, self._root_types):
            return _Chain((node, *below.fields))
        return below

    def _fragment(self, name: str) -> _Chain:
        known = self._fragments.get(name)
        if known is not None:
            return known
        fragment = self.context.get_fragment(name)
        if fragment is None or name in self._in_progress:
            return _EMPTY
        target = self.context.schema.get_type(fragment.type_condition.name.value)
        self._in_progress.add(name)
        try:
            chain = _EMPTY if target is None else self._deepest(fragment.selection_set, target)
        finally:
            self._in_progress.discard(name)
        self._fragments[name] = chain
        return chain
