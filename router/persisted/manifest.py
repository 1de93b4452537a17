"""Trusted documents: per-client manifests in Apollo's persisted query list format.

Sources are ``.graphql`` files under ``schema/persisted/<client>/``; ``kcp persisted build``
writes ``schema/persisted/<client>.json``, one entry per operation with the fragments it uses,
its id the sha256 of its body. ``kcp persisted check`` (run by the tests) fails when a manifest is
stale or one of its operations no longer validates against the committed supergraph, so a schema
change that would break a partner's call is caught in review, not in production.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
    validate,
    visit,
)
from graphql.language import Visitor

if TYPE_CHECKING:
    from pathlib import Path

    from graphql import GraphQLSchema, Node

MANIFEST_FORMAT = "apollo-persisted-query-manifest"
MANIFEST_VERSION = 1


class ManifestError(ValueError):
    """A manifest or a source file is unusable; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class PersistedOperation:
    id: str
    name: str
    type: str
    body: str


def operation_id(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


class _SpreadCollector(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_args: object) -> None:
        self.names.append(node.name.value)


def _used_fragments(start: Node, fragments: dict[str, FragmentDefinitionNode]) -> list[FragmentDefinitionNode]:
    used: dict[str, FragmentDefinitionNode] = {}
    pending = [start]
    while pending:
        collector = _SpreadCollector()
        visit(pending.pop(), collector)
        for name in collector.names:
            if name in fragments and name not in used:
                used[name] = fragments[name]
                pending.append(fragments[name])
    return [used[name] for name in sorted(used)]


class _TypenameAdder(Visitor):
    """``__typename`` in every selection set but the operation's own, as Apollo's manifest
    generator and Apollo Client's cache do: a normalising client cache needs it to store objects
    and to match fragments on abstract types, and the body it sends must be the manifest's."""

    def enter_selection_set(self, node: SelectionSetNode, _key: object, parent: object, *_args: object) -> object:
        if isinstance(parent, OperationDefinitionNode):
            return None
        if any(isinstance(s, FieldNode) and s.name.value.startswith("__") for s in node.selections):
            return None  # already there, or an introspection selection
        typename = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())
        return SelectionSetNode(selections=(*node.selections, typename))


def with_typenames(document: DocumentNode) -> DocumentNode:
    added: DocumentNode = visit(document, _TypenameAdder())
    return added


def operations_of(document: DocumentNode, source: str) -> list[PersistedOperation]:
    """One entry per named operation, each with exactly the fragments it spreads, ``__typename``
    added where a client cache needs it."""
    document = with_typenames(document)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    entries = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if definition.name is None:
            msg = f"{source}: every persisted operation needs a name"
            raise ManifestError(msg)
        body = print_ast(DocumentNode(definitions=(definition, *_used_fragments(definition, fragments))))
        entries.append(
            PersistedOperation(
                id=operation_id(body), name=definition.name.value, type=definition.operation.value, body=body
            )
        )
    return entries


def build_manifest(sources: list[Path]) -> dict[str, Any]:
    """The manifest for one client's source files (sorted by name, so rebuilding is stable)."""
    operations: dict[str, PersistedOperation] = {}
    for path in sorted(sources):
        try:
            document = parse(path.read_text(encoding="utf-8"))
        except GraphQLError as error:
            msg = f"{path}: {error.message}"
            raise ManifestError(msg) from error
        for operation in operations_of(document, str(path)):
            if operation.name in operations:
                msg = f"{path}: operation {operation.name} is defined twice"
                raise ManifestError(msg)
            operations[operation.name] = operation
    return {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "operations": [
            {"id": op.id, "name": op.name, "type": op.type, "body": op.body}
            for op in sorted(operations.values(), key=lambda op: op.name)
        ],
    }


def manifest_text(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2) + "\n"


def client_sources(directory: Path) -> dict[str, list[Path]]:
    """Each client's ``.graphql`` files, by client (the folder's name)."""
    if not directory.is_dir():
        return {}
    return {folder.name: sorted(folder.glob("*.graphql")) for folder in sorted(directory.iterdir()) if folder.is_dir()}


def load_manifest(path: Path) -> dict[str, PersistedOperation]:
    """A manifest file's operations by id."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        msg = f"{path}: not a readable JSON manifest ({error})"
        raise ManifestError(msg) from error
    if not isinstance(raw, dict) or raw.get("format") != MANIFEST_FORMAT or raw.get("version") != MANIFEST_VERSION:
        msg = f"{path}: expected format {MANIFEST_FORMAT!r} version {MANIFEST_VERSION}"
        raise ManifestError(msg)
    operations: dict[str, PersistedOperation] = {}
    for entry in raw.get("operations", []):
        operation = PersistedOperation(
            id=str(entry["id"]), name=str(entry["name"]), type=str(entry["type"]), body=str(entry["body"])
        )
        if operation_id(operation.body) != operation.id:
            msg = f"{path}: operation {operation.name} has an id that is not the sha256 of its body"
            raise ManifestError(msg)
        operations[operation.id] = operation
    return operations


def load_manifests(directory: Path) -> dict[str, dict[str, PersistedOperation]]:
    """Every client's manifest in ``directory``, by client name."""
    if not directory.is_dir():
        return {}
    return {path.stem: load_manifest(path) for path in sorted(directory.glob("*.json"))}


def manifest_problems(directory: Path, api_schema: GraphQLSchema) -> list[str]:
    """Stale manifests and operations that no longer validate, one line each.

    A manifest with no source folder here was built elsewhere (``web/`` builds the app's own with
    GraphQL Code Generator and checks its staleness there); its operations are validated all the same.
    """
    problems = []
    stale = set()
    for client, sources in client_sources(directory).items():
        path = directory / f"{client}.json"
        if not path.is_file() or path.read_text(encoding="utf-8") != manifest_text(build_manifest(sources)):
            problems.append(f"{path} is stale: run `kcp persisted build`")
            stale.add(client)
    for client, operations in load_manifests(directory).items():
        if client in stale:
            continue
        problems.extend(
            f"{directory / client}.json: {operation.name}: {error.message}"
            for operation in operations.values()
            for error in validate(api_schema, parse(operation.body))
        )
    return problems


def write_manifests(directory: Path) -> list[Path]:
    """Build every client's manifest from its sources; the paths written."""
    written = []
    for client, sources in client_sources(directory).items():
        path = directory / f"{client}.json"
        path.write_text(manifest_text(build_manifest(sources)), encoding="utf-8")
        written.append(path)
    return written
