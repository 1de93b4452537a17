"""The executor runs plans through a narrow transport: one ``fetch`` per subgraph request, no HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kcp.errors import ErrorCode
from router.documents import DocumentCache, select_operation
from router.executor import ExecutionState, Executor
from router.planner import plan_operation
from router.supergraph import load_supergraph_file
from router.transport import FetchFailure

if TYPE_CHECKING:
    from collections.abc import Mapping

SHOP = Path(__file__).parent / "planner" / "supergraphs" / "shop.graphql"


class Recorded:
    """A transport that answers from a table, by subgraph, and records what it was asked."""

    def __init__(self, answers: dict[str, dict[str, Any] | FetchFailure]) -> None:
        self.answers = answers
        self.sent: list[tuple[str, str, bool]] = []

    async def fetch(
        self, subgraph: str, url: str, body: Mapping[str, Any], headers: Mapping[str, str], *, may_join: bool
    ) -> dict[str, Any] | FetchFailure:
        del url, headers
        self.sent.append((subgraph, str(body["query"]).split("{", 1)[0].strip(), may_join))
        return self.answers[subgraph]


async def executed(query: str, transport: Recorded) -> ExecutionState:
    graph = load_supergraph_file(SHOP)
    operation = select_operation(DocumentCache(graph.api_schema).get(query).document, None)
    return await Executor(graph, transport).execute(plan_operation(graph, operation), {}, {})


async def run(query: str, transport: Recorded) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    state = await executed(query, transport)
    return state.data, state.errors


@pytest.mark.asyncio
async def test_each_fetch_is_one_call_of_the_transport_and_queries_may_join() -> None:
    transport = Recorded(
        {
            "products": {"data": {"topProducts": [{"__typename": "Product", "upc": "1", "name": "Table"}]}},
            "reviews": {"data": {"_entities": [{"reviews": [{"body": "Sturdy"}]}]}},
        }
    )
    data, errors = await run("{ topProducts { name reviews { body } } }", transport)
    assert errors == []
    assert data["topProducts"][0]["reviews"] == [{"body": "Sturdy"}]
    assert [(subgraph, may_join) for subgraph, _, may_join in transport.sent] == [("products", True), ("reviews", True)]


@pytest.mark.asyncio
async def test_a_transport_failure_is_an_error_naming_the_subgraph_and_path() -> None:
    transport = Recorded({"products": FetchFailure(ErrorCode.SUBGRAPH_UNAVAILABLE, "cannot connect")})
    data, errors = await run("{ topProducts { name } }", transport)
    assert data == {}
    assert errors == [
        {
            "message": "HTTP fetch failed from 'products': cannot connect",
            "path": ["topProducts"],
            "extensions": {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "products"},
        }
    ]


@pytest.mark.asyncio
async def test_only_the_degraded_retrieval_extension_reaches_the_client_joined_over_fetches() -> None:
    transport = Recorded(
        {
            "products": {
                "data": {"topProducts": [{"__typename": "Product", "upc": "1", "name": "Table"}]},
                "extensions": {"retrieval": {"degraded": "KEYWORD_ONLY:NOT_INDEXED"}, "tracing": {"ms": 3}},
            },
            "reviews": {
                "data": {"_entities": [{"reviews": [{"body": "Sturdy"}]}]},
                "extensions": {"retrieval": {"degraded": "KEYWORD_ONLY:NOT_INDEXED,LOCALE_FALLBACK:es-ES", "x": 1}},
            },
        }
    )
    state = await executed("{ topProducts { reviews { body } } }", transport)

    assert state.extensions == {"retrieval": {"degraded": "KEYWORD_ONLY:NOT_INDEXED,LOCALE_FALLBACK:es-ES"}}


@pytest.mark.asyncio
async def test_a_subgraph_answer_without_the_extension_adds_none() -> None:
    transport = Recorded(
        {"products": {"data": {"topProducts": []}, "extensions": {"retrieval": {"degraded": 7}, "cost": 1}}}
    )
    state = await executed("{ topProducts { name } }", transport)

    assert state.extensions == {}
