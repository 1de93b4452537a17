"""Shaping rules the federation audit relies on, through ``shape_response`` (the stage's API)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphql import parse

from router.documents import select_operation
from router.pipeline.normalise import normalise
from router.shaping import shape_response
from router.supergraph import load_supergraph_file

SUPERGRAPH = Path(__file__).parent / "planner" / "supergraphs" / "federation.graphql"


def shape(query: str, data: dict[str, Any]) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    graph = load_supergraph_file(SUPERGRAPH)
    document = normalise(parse(query))
    errors: list[dict[str, Any]] = []
    shaped = shape_response(graph.api_schema, document, select_operation(document, None), data, errors, {})
    return shaped, errors


def test_an_inaccessible_enum_value_from_a_subgraph_is_null_with_an_error() -> None:
    data = {"deals": [{"availability": "IN_STOCK"}, {"availability": "DISCONTINUED"}]}
    shaped, errors = shape("{ deals { availability } }", data)
    assert shaped == {"deals": [{"availability": "IN_STOCK"}, {"availability": None}]}
    assert [e["path"] for e in errors] == [["deals", 1, "availability"]]


def test_an_interface_object_answer_shapes_with_the_interface_fields() -> None:
    # profile answered alone (nothing needed the object type): its __typename is the interface's.
    data = {"profiles": [{"__typename": "Account", "nickname": "ada"}]}
    shaped, errors = shape("{ profiles { nickname ... on Staff { team } } }", data)
    assert shaped == {"profiles": [{"nickname": "ada"}]}
    assert errors == []


def test_the_object_type_from_the_interface_subgraph_applies_fragments() -> None:
    data = {"profiles": [{"__typename": "Staff", "nickname": "ada", "team": "support"}]}
    shaped, _ = shape("{ profiles { __typename nickname ... on Staff { team } } }", data)
    assert shaped == {"profiles": [{"__typename": "Staff", "nickname": "ada", "team": "support"}]}
