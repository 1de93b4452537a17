"""Trusted-document manifests: built from sources, addressed by sha256, checked against the supergraph."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

import pytest
from graphql import build_schema

from kcp.settings import PERSISTED_DIR, SUPERGRAPH_FILE
from router.persisted.manifest import (
    ManifestError,
    build_manifest,
    load_manifest,
    manifest_problems,
    write_manifests,
)
from router.supergraph import load_supergraph_file

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA = build_schema("type Query { product(id: ID!): Product } type Product { id: ID! name: String! }")


def client_folder(root: Path, text: str) -> Path:
    folder = root / "partner"
    folder.mkdir(parents=True)
    (folder / "ops.graphql").write_text(text, encoding="utf-8")
    return root


def test_each_operation_carries_only_the_fragments_it_uses(tmp_path: Path) -> None:
    root = client_folder(
        tmp_path,
        "query A { product(id: 1) { ...F } } query B { product(id: 2) { id } }"
        " fragment F on Product { ...G } fragment G on Product { name }",
    )
    manifest = build_manifest(sorted((root / "partner").glob("*.graphql")))
    operations = {op["name"]: op for op in manifest["operations"]}
    assert manifest["format"] == "apollo-persisted-query-manifest"
    assert "fragment F" in operations["A"]["body"]
    assert "fragment G" in operations["A"]["body"]
    assert "fragment" not in operations["B"]["body"]
    for operation in operations.values():
        assert operation["id"] == hashlib.sha256(operation["body"].encode()).hexdigest()


def test_every_selection_set_but_the_operations_own_selects_typename(tmp_path: Path) -> None:
    root = client_folder(
        tmp_path,
        "query A { product(id: 1) { ...F } __typename } fragment F on Product { id } "
        "query B { product(id: 2) { __typename name } }",
    )
    operations = {
        op["name"]: op["body"] for op in build_manifest(sorted((root / "partner").glob("*.graphql")))["operations"]
    }
    assert " ".join(operations["A"].split()) == (
        "query A { product(id: 1) { ...F __typename } __typename } fragment F on Product { id __typename }"
    )
    assert " ".join(operations["B"].split()) == "query B { product(id: 2) { __typename name } }"  # already there


def test_manifests_go_stale_and_invalid_operations_are_named(tmp_path: Path) -> None:
    root = client_folder(tmp_path, "query A { product(id: 1) { name } }")
    assert manifest_problems(root, SCHEMA) == [f"{root / 'partner.json'} is stale: run `kcp persisted build`"]
    write_manifests(root)
    assert manifest_problems(root, SCHEMA) == []
    renamed = build_schema("type Query { product(id: ID!): Product } type Product { id: ID! title: String! }")
    [problem] = manifest_problems(root, renamed)
    assert "A: Cannot query field 'name' on type 'Product'" in problem


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{ product(id: 1) { id } }", "every persisted operation needs a name"),
        ("query A { product(id: 1) { id } } query A { product(id: 2) { id } }", "defined twice"),
        ("query A {", "Expected Name"),
    ],
)
def test_unusable_sources_are_refused_by_file(tmp_path: Path, text: str, message: str) -> None:
    root = client_folder(tmp_path, text)
    with pytest.raises(ManifestError, match=message):
        write_manifests(root)


def test_a_tampered_manifest_entry_is_refused(tmp_path: Path) -> None:
    root = client_folder(tmp_path, "query A { product(id: 1) { id } }")
    [path] = write_manifests(root)
    manifest = json.loads(path.read_text())
    manifest["operations"][0]["body"] = "query A { product(id: 1) { name } }"
    path.write_text(json.dumps(manifest))
    with pytest.raises(ManifestError, match="not the sha256 of its body"):
        load_manifest(path)


def test_a_manifest_built_elsewhere_is_validated_too(tmp_path: Path) -> None:
    # The web app's manifest is built by its own tools (web/), with no source folder here.
    root = client_folder(tmp_path / "a", "query Good { product(id: 1) { id } } query Gone { product(id: 1) { price } }")
    [built] = write_manifests(root)
    served = tmp_path / "served"
    served.mkdir()
    (served / "web.json").write_text(built.read_text(), encoding="utf-8")
    [problem] = manifest_problems(served, SCHEMA)
    assert problem.startswith(f"{served / 'web.json'}: Gone: Cannot query field 'price'")


def test_committed_manifests_are_current_and_valid() -> None:
    assert manifest_problems(PERSISTED_DIR, load_supergraph_file(SUPERGRAPH_FILE).api_schema) == []
