"""What operators see: per-subgraph fetch metrics, store pool use, and logs with no secret in them."""

from __future__ import annotations

import json
import re
import uuid
from typing import TYPE_CHECKING, Any

import fluentbit
import httpx
import pytest
from launching import launch
from single_service import eventually

import demo

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

QUERY = '{ productBySlug(slug: "liberty-4-nc") { name content { title } analytics { pageViews } } }'


@pytest.fixture(scope="module")
def platform(seeded_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """The platform as operators run it in production: JSON logs."""
    running = launch(seeded_data_dir, tmp_path_factory.mktemp("logs"), {"KCP_LOG_JSON": "true"})
    try:
        yield running
    finally:
        running.stop()


def log_lines(platform: Platform, name: str) -> list[dict[str, Any]]:
    """Every line the process has logged, each parsed as the JSON object it must be."""
    path = platform.processes[name].log_path
    assert path is not None
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def requests_logged(platform: Platform, name: str, request_id: Callable[[Any], bool]) -> list[dict[str, Any]]:
    """The process's ``http.request`` lines whose request id passes ``request_id``. A process writes
    its line once it has answered, maybe after its caller read the answer: this waits for one."""

    def lines() -> list[dict[str, Any]]:
        return [
            line
            for line in log_lines(platform, name)
            if line.get("event") == "http.request" and request_id(line.get("request_id"))
        ]

    eventually(lambda: bool(lines()), attempts=100)
    return lines()


def uncached(query: str) -> str:
    """The query under a fresh alias, so the router's response cache cannot answer it."""
    return query.replace("{ productBySlug", f"{{ p{uuid.uuid4().hex}: productBySlug", 1)


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


def test_each_process_logs_each_request_as_json_under_the_clients_trace_id(platform: Platform) -> None:
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    traceparent = f"00-{trace_id}-00f067aa0ba902b7-01"
    query = uncached(QUERY)
    response = httpx.post(platform.router_url, json={"query": query}, headers={"traceparent": traceparent}, timeout=30)
    assert "errors" not in response.json()

    [routed] = requests_logged(platform, "router", trace_id.__eq__)
    assert (routed["method"], routed["path"], routed["status"], routed["service"]) == (
        "POST",
        "/graphql",
        200,
        "router",
    )
    assert routed["duration_ms"] > 0
    for name in ("knowledge", "content", "analytics"):
        assert [line["service"] for line in requests_logged(platform, name, trace_id.__eq__)] == [name]


def test_a_request_without_a_trace_gets_one_id_across_the_processes(platform: Platform) -> None:
    before = {line.get("request_id") for line in log_lines(platform, "router")}
    httpx.post(platform.router_url, json={"query": uncached(QUERY)}, timeout=30)
    [started] = requests_logged(platform, "router", lambda request_id: request_id not in before)
    assert re.fullmatch(r"[0-9a-f]{32}", started["request_id"])
    assert requests_logged(platform, "knowledge", started["request_id"].__eq__)


def test_every_line_every_process_writes_parses_with_the_fluent_bit_parser(platform: Platform) -> None:
    """What Fluent Bit's DaemonSet does to each line: the CRI runtime's prefix taken off by the
    ``cri`` parser, then the line parsed by ``kcp_json`` (monitoring/fluent-bit/parsers.conf)."""
    httpx.post(platform.router_url, json={"query": QUERY}, timeout=30)
    httpx.post(platform.router_url, json={"query": "{ noSuchField }"}, timeout=30)
    kcp_json, cri = fluentbit.parser("kcp_json"), re.compile(fluentbit.cri_regex())
    checked, failures = 0, []
    for name, process in platform.processes.items():
        assert process.log_path is not None
        for line in process.log_path.read_text(encoding="utf-8").splitlines():
            framed = cri.match(f"2026-12-07T02:15:00.123456789Z stderr F {line}")
            try:
                assert framed is not None
                record = fluentbit.apply_json_parser(framed.group("log"), kcp_json)
                assert record["service"] in {name, "seed"}
                checked += 1
            except (AssertionError, ValueError, TypeError, KeyError) as error:
                failures.append(f"{name}: {line[:120]} ({type(error).__name__}: {error})")
    assert checked > 0
    assert not failures, "\n".join(failures[:20])
