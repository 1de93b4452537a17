"""What operators see: per-subgraph fetch metrics, store pool use, and logs with no secret in them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx
import pytest

import demo

if TYPE_CHECKING:
    from kcp.launcher import Platform

pytestmark = pytest.mark.e2e

QUERY = '{ productBySlug(slug: "liberty-4-nc") { name content { title } analytics { pageViews } } }'


def gauge(metrics: str, name: str, **labels: str) -> list[float]:
    wanted = "".join(rf'(?=[^}}]*{key}="{value}")' for key, value in labels.items())
    return [float(v) for v in re.findall(rf"^{name}\{{{wanted}[^}}]*\}} (\S+)$", metrics, flags=re.MULTILINE)]


def test_the_router_reports_each_subgraphs_latency_and_the_subgraphs_their_pools(platform: Platform) -> None:
    response = httpx.post(platform.router_url, json={"query": QUERY}, timeout=30)
    assert "errors" not in response.json()
    router = httpx.get(platform.url("router") + "/metrics", timeout=10).text
    for subgraph in ("knowledge", "content", "analytics"):
        assert gauge(router, "router_subgraph_request_duration_seconds_count", subgraph=subgraph)[0] >= 1
    assert gauge(router, "router_cache_lookups_total", cache="documents", result="miss")
    support = httpx.get(platform.url("support") + "/metrics", timeout=10).text
    assert gauge(support, "kcp_store_pool_connections", service="support", state="size")[0] >= 1


def test_no_log_line_carries_a_token_a_password_or_a_key(platform: Platform) -> None:
    data = demo.generate()
    login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }"
    variables = {"e": "agent@soundcore.example", "p": data.demo_password}
    tokens = httpx.post(platform.router_url, json={"query": login, "variables": variables}, timeout=30).json()
    access = tokens["data"]["login"]["accessToken"]
    refresh = tokens["data"]["login"]["refreshToken"]
    bearer = {"authorization": f"Bearer {access}"}
    httpx.post(platform.router_url, json={"query": "{ me { name } }"}, headers=bearer, timeout=30)
    wrong = {"e": "agent@soundcore.example", "p": "not-the-password-x1"}
    httpx.post(platform.router_url, json={"query": login, "variables": wrong}, timeout=30)
    api_key = "kcp_demo0001_audiohaus-demo-key-not-secret-2026"
    httpx.post(platform.router_url, json={"query": "{ __typename }"}, headers={"x-api-key": api_key}, timeout=30)
    logs = "".join(
        process.log_path.read_text(encoding="utf-8", errors="replace")
        for process in platform.processes.values()
        if process.log_path is not None and process.log_path.exists()
    )
    assert logs, "the platform writes logs"
    key_secret = api_key.rsplit("_", maxsplit=1)[-1]
    for secret in (access, refresh, data.demo_password, "not-the-password-x1", api_key, key_secret):
        assert secret not in logs
