"""A subgraph that dies: the router answers with the others' data and names what failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

import demo

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e


def test_partial_data_and_a_named_error_when_analytics_is_down(platform: Platform) -> None:
    product = demo.generate().products[0]
    query = """query($slug: String!) {
      productBySlug(slug: $slug) { name features { name } analytics { ticketsCreated } }
    }"""
    platform.processes["analytics"].kill()

    for _ in range(2):  # and again: the router keeps serving after the failure
        response = httpx.post(
            platform.router_url, json={"query": query, "variables": {"slug": product.slug}}, timeout=30
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["data"]["productBySlug"]["name"] == product.name
        assert body["data"]["productBySlug"]["features"]
        assert body["data"]["productBySlug"]["analytics"] is None
        [error] = body["errors"]
        assert error["extensions"]["serviceName"] == "analytics"
        assert error["extensions"]["code"] in {"SUBGRAPH_UNAVAILABLE", "SUBREQUEST_HTTP_ERROR"}
        assert "analytics" in error["message"]
        assert error["path"] == ["productBySlug", "analytics"]
    assert platform.processes["router"].process.poll() is None
