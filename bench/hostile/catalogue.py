"""The hostile request families, as (family, body, headers) to POST to ``/graphql``.

Each is something a client on the internet can send for free: malformed JSON of every shape, wrong
content types, invalid UTF-8 and lone surrogates, abusive headers, huge bodies, alias, depth,
fragment and directive bombs, huge list sizes, list-heavy aliases, batches and introspection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

JSON_HEADERS = {"content-type": "application/json"}
INTROSPECTION = (
    "query { __schema { queryType { name } types { name kind fields(includeDeprecated: true) { name args { name "
    "type { name kind ofType { name kind ofType { name kind ofType { name } } } } } type { name kind ofType "
    "{ name kind ofType { name kind } } } } inputFields { name } enumValues { name } possibleTypes { name } } "
    "directives { name locations args { name } } } }"
)


@dataclass(frozen=True, slots=True)
class Hostile:
    family: str
    body: bytes
    headers: dict[str, str] = field(default_factory=lambda: dict(JSON_HEADERS))


def _json(query: str, **extra: object) -> bytes:
    return json.dumps({"query": query, **extra}).encode()


def fragment_bomb(levels: int) -> str:
    spreads = "".join(f"fragment F{i} on Query {{ __typename ...F{i + 1} ...F{i + 1} }}\n" for i in range(levels))
    return "{ ...F0 }\n" + spreads + f"fragment F{levels} on Query {{ __typename }}"


def catalogue(list_fields: list[str]) -> list[Hostile]:
    """Every family; ``list_fields``: root fields of the process with a ``first`` argument."""
    cases = [
        *(Hostile("malformed JSON", raw) for raw in (b"null", b"1", b'"x"', b"[]", b"true", b"{", b'{"query": ')),
        Hostile("malformed JSON", b'{"query": "{ __typename }", "variables": NaN}'),
        Hostile("malformed JSON", b"[" * 50_000),
        Hostile("malformed JSON", b'{"query": 1}'),
        Hostile("malformed JSON", b'{"query": "{ __typename }", "variables": [1]}'),
        Hostile("malformed JSON", b'{"query": "{ __typename }", "extensions": "x"}'),
        Hostile("content type", b'{"query": "{ __typename }"}', {"content-type": "text/plain"}),
        Hostile("content type", b'{"query": "{ __typename }"}', {}),
        Hostile("content type", b"query=%7B__typename%7D", {"content-type": "application/x-www-form-urlencoded"}),
        Hostile("content type", b"--b\r\n\r\n--b--", {"content-type": "multipart/form-data; boundary=b"}),
        Hostile("invalid UTF-8", b'{"query": "{ \xff\xfe }"}'),
        Hostile("invalid UTF-8", b'{"query": "{ __typename }", "variables": {"x": "\xed\xb2\x80"}}'),
        Hostile("invalid UTF-8", b'{"query": "{ __typename } # \\udc80"}'),
        Hostile("invalid UTF-8", b'{"query": "{ __typename }", "variables": {"\\ud800": 1}}'),
        Hostile("header abuse", _json("{ __typename }"), {**JSON_HEADERS, "x-huge": "a" * 60_000}),
        Hostile("header abuse", _json("{ __typename }"), {**JSON_HEADERS, **{f"x-h{i}": "v" for i in range(300)}}),
        Hostile("header abuse", _json("{ __typename }"), {**JSON_HEADERS, "authorization": "Bearer " + "x" * 8000}),
        Hostile("huge body", _json("{ __typename }", variables={"x": "a" * 3_000_000})),
        Hostile("huge body", _json("{ __typename }", variables={"x": "a" * 9_000_000})),
        Hostile("huge body", _json("{ __typename }", variables={"x": list(range(300_000))})),
        Hostile("alias bomb", _json("{ " + " ".join(f"a{i}: __typename" for i in range(10_000)) + " }")),
        Hostile("depth bomb", _json("{ " + "a { " * 3000 + "b" + " }" * 3000 + " }")),
        Hostile("depth bomb", _json("{ " + "a { " * 150 + "b" + " }" * 150 + " }")),
        Hostile("fragment bomb", _json(fragment_bomb(30))),
        Hostile("directive flood", _json("{ __typename " + "@include(if: true) " * 5000 + "}")),
        Hostile(
            "directive flood", _json("{ " + " ".join(f"a{i}: __typename @skip(if: false)" for i in range(40)) + " }")
        ),
        Hostile("batch", json.dumps([{"query": "{ __typename }"}] * 200).encode()),
        Hostile("introspection flood", _json(INTROSPECTION)),
        Hostile(
            "introspection flood",
            _json("{ " + " ".join(f"s{i}: __schema {{ types {{ name }} }}" for i in range(40)) + " }"),
        ),
        Hostile(
            "token flood", _json("{ __typename " + "# " * 10 + " ".join("__typename" for _ in range(30_000)) + " }")
        ),
    ]
    for name in list_fields:
        cases.append(Hostile("huge list", _json(f"{{ {name}(first: 1000000000) {{ __typename }} }}")))
        aliased = " ".join(f"a{i}: {name}(first: 100) {{ __typename }}" for i in range(45))
        cases.append(Hostile("list-heavy aliases", _json(f"{{ {aliased} }}")))
    return cases
