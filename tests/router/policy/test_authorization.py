"""@authenticated and @requiresScopes: unauthorized fields are removed before planning and reported."""

from __future__ import annotations

from graphql import OperationDefinitionNode, build_schema, parse, print_ast

from kcp.identity import ANONYMOUS, Caller, CallerKind
from router.pipeline.normalise import normalise
from router.policy.authorization import AuthorizationRules, authorize

SUPERGRAPH_PART = """
directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
type Query { product(id: ID!): Product  me: User @authenticated }
type Product { id: ID! name: String! tickets: [Ticket!] @requiresScopes(scopes: [["support:read"], ["admin"]]) }
type Ticket { id: ID! subject: String! notes: String @requiresScopes(scopes: [["support:read", "support:notes"]]) }
type User @authenticated { id: ID! email: String! }
"""
SCHEMA = build_schema(SUPERGRAPH_PART)
RULES = AuthorizationRules.from_supergraph(SUPERGRAPH_PART)
AGENT = Caller(kind=CallerKind.USER, subject="u-1", scopes=frozenset({"support:read"}))

QUERY = """query Q { product(id: "p") { name tickets { subject notes } } me { email } }"""


def run(caller: Caller, source: str = QUERY) -> tuple[str, list[list[str]]]:
    document = normalise(parse(source))
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    result = authorize(SCHEMA, document, operation, caller, RULES)
    paths = [error["path"] for error in result.errors]
    assert all(error["extensions"]["code"] == "UNAUTHORIZED_FIELD_OR_TYPE" for error in result.errors)
    return " ".join(print_ast(result.operation).split()), paths


def test_rules_are_read_from_the_supergraph() -> None:
    assert RULES.for_field("Query", "me", "User") is not None
    assert RULES.for_field("Product", "name", "String") is None


def test_anonymous_callers_lose_every_guarded_field() -> None:
    operation, paths = run(ANONYMOUS)
    assert operation == 'query Q { product(id: "p") { name } }'
    assert paths == [["product", "tickets"], ["me"]]


def test_scopes_are_groups_of_which_one_must_be_held_entirely() -> None:
    operation, paths = run(AGENT)
    assert operation == 'query Q { product(id: "p") { name tickets { subject } } me { email } }'
    assert paths == [["product", "tickets", "notes"]]
    admin = Caller(kind=CallerKind.USER, subject="a", scopes=frozenset({"admin", "support:read", "support:notes"}))
    assert run(admin) == (" ".join(QUERY.split()), [])


def test_fragments_are_filtered_per_path_and_empty_sets_stay_valid() -> None:
    source = """query Q { a: product(id: "1") { ...T } me { ...U } }
                fragment T on Product { tickets { id } } fragment U on User { email }"""
    operation, paths = run(ANONYMOUS, source)
    assert paths == [["a", "tickets"], ["me"]]
    assert operation == 'query Q { a: product(id: "1") { ... on Product { __typename } } }'
