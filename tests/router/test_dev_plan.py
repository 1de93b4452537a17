"""The query plan in ``extensions`` for development mode only, and ``kcp plan`` on the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from router_harness import Subgraphs, router_client, settings, write_supergraph

from commands.cli import main
from router.app import create_app

if TYPE_CHECKING:
    from pathlib import Path

QUERY = "{ topProducts(first: 1) { name reviews { body } } }"
INCLUDE_PLAN = {"x-kcp-include-plan": "1"}


@pytest.mark.asyncio
async def test_dev_mode_returns_the_plan_when_asked(subgraphs: Subgraphs, tmp_path: Path) -> None:
    app = create_app(settings(kcp_dev=True), write_supergraph(tmp_path, subgraphs.urls))
    async with router_client(app) as client:
        asked = (await client.post("/graphql", json={"query": QUERY}, headers=INCLUDE_PLAN)).json()
        not_asked = (await client.post("/graphql", json={"query": QUERY})).json()
    plan = asked["extensions"]["queryPlan"]
    assert plan.startswith("QueryPlan {")
    assert 'Fetch(service: "products")' in plan
    assert 'Fetch(service: "reviews")' in plan
    assert asked["data"] == not_asked["data"]
    assert "extensions" not in not_asked


@pytest.mark.asyncio
async def test_without_dev_mode_the_header_is_ignored(subgraphs: Subgraphs, tmp_path: Path) -> None:
    app = create_app(settings(), write_supergraph(tmp_path, subgraphs.urls))
    async with router_client(app) as client:
        body = (await client.post("/graphql", json={"query": QUERY}, headers=INCLUDE_PLAN)).json()
    assert body["data"]["topProducts"][0]["name"]
    assert "extensions" not in body


URLS = {"products": "http://p.invalid", "reviews": "http://r.invalid", "users": "http://u.invalid"}


def test_kcp_plan_prints_the_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    supergraph = write_supergraph(tmp_path, URLS)
    assert main(["plan", "--supergraph", str(supergraph), QUERY]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("QueryPlan {")
    assert 'Flatten(path: "topProducts.@")' in printed


def test_kcp_plan_names_an_invalid_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    supergraph = write_supergraph(tmp_path, URLS)
    assert main(["plan", "--supergraph", str(supergraph), "{ nope }"]) == 1
    assert "nope" in capsys.readouterr().err
