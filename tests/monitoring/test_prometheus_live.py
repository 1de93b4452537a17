"""The monitoring files on a real Prometheus (Debian's package), scraping the real platform.

Real-server tier: runs when ``.ci/run`` has set the ``KCP_TEST_*`` variables (the platform itself
runs on its embedded stores; Prometheus is the server under test). It starts the five subgraphs and
the router, and Prometheus with the project's scrape configuration (targets moved to the test's
ports, scraping every second) and a test-only copy of rules.yml whose ``for:`` durations are
shortened — the real file is never edited. Then:

1. drives some traffic on empty stores (logins, searches, product queries, a refused document);
2. asks the HTTP API for every dashboard panel's expression: each must return series;
3. stops the knowledge subgraph: SubgraphDown goes pending (its ``for:`` is 1 minute in the test
   rules, so pending is what can be seen within the test);
4. sends a burst of readiness probes the router answers 503 (knowledge down): HighErrorRate stays
   quiet (probes are not API traffic); then starts a second router replica that cannot compose
   (knowledge is gone), which Prometheus scrapes as one more router target, sends it a burst of
   GraphQL requests it answers 503, and sees HighErrorRate firing;
5. asks for every alert's expression without its threshold: each returns series (PodCrashing
   excepted: kube-state-metrics exists only in a cluster).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import yaml
from promql import (
    KUBE_STATE_PREFIX,
    MONITORING,
    alert_rules,
    metric_names,
    panel_expressions,
    without_threshold,
)

from commands.launcher import start_platform_on_free_ports
from commands.subgraphs import SUBGRAPHS
from kcp.ports import free_port

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

# Shortened durations of the test-only rules: long enough to see SubgraphDown pending, short
# enough to see HighErrorRate fire within seconds.
TEST_DURATIONS = {"SubgraphDown": "1m", "HighErrorRate": "2s"}
# How long /ready 503s go on once Prometheus sees their rate above the threshold, HighErrorRate
# quiet all along: were they counted, one evaluation (1 s) would make it pending and its test
# `for:` (2 s) firing; 1 s to spare.
QUIET_SECONDS = 4
TARGETS = 7  # router, five subgraphs, and the router replica that cannot compose
DEFAULT_TEST_DURATION = "5s"
PASSWORD = "soundcore-demo"  # noqa: S105 - the demo data's password


def _real_server_tier() -> None:
    if not any(name.startswith("KCP_TEST_") for name in os.environ):
        pytest.skip(
            "real server: KCP_TEST_* is not set; the real-Prometheus test runs with the real-server tier "
            '(.ci/run, or `eval "$(scripts/services env --test)"`)'
        )


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    _real_server_tier()
    data_dir = tmp_path_factory.mktemp("kcp-data")
    environment = {"KCP_DATA_DIR": str(data_dir), "KCP_LOG_JSON": "true"}
    for name in ("DATABASE_URL", "MONGODB_URI", "NEO4J_URI", "REDIS_URL"):
        os.environ.pop(name, None)
    # Not seeded: every series exists from the first request or from start-up (labels pre-set at
    # 0), and seeding would add ~15 s to a test that must stay short.
    running = start_platform_on_free_ports(environment=environment, log_dir=tmp_path_factory.mktemp("logs"))
    try:
        yield running
    finally:
        running.stop()


def _test_rules(target: Path) -> None:
    document = yaml.safe_load((MONITORING / "prometheus/rules.yml").read_text(encoding="utf-8"))
    for group in document["groups"]:
        group["interval"] = "1s"
        for rule in group["rules"]:
            if "for" in rule:
                rule["for"] = TEST_DURATIONS.get(rule["alert"], DEFAULT_TEST_DURATION)
    target.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def _scrape_config(platform: Platform, rules: Path, target: Path, spare_router_port: int) -> None:
    config = yaml.safe_load((MONITORING / "prometheus/prometheus.yml").read_text(encoding="utf-8"))
    config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
    config["rule_files"] = [str(rules)]
    for job in config["scrape_configs"]:
        targets = [f"127.0.0.1:{platform.processes[job['job_name']].port}"]
        if job["job_name"] == "router":  # the replica that cannot compose (step 4)
            targets.append(f"127.0.0.1:{spare_router_port}")
        job["static_configs"] = [{"targets": targets}]
    target.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def spare_router_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def prometheus(platform: Platform, spare_router_port: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.fail("Debian's prometheus is not installed: apt-get install prometheus (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("prometheus")
    _test_rules(folder / "rules.yml")
    _scrape_config(platform, folder / "rules.yml", folder / "prometheus.yml", spare_router_port)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (folder / "prometheus.log").open("wb") as log:
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={folder / 'prometheus.yml'}",
                f"--storage.tsdb.path={folder / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        assert _eventually(lambda: _answers(url + "/-/ready"), 30), f"Prometheus not ready; see {folder}"
        yield url
    finally:
        process.terminate()
        process.wait(20)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == httpx.codes.OK
    except httpx.HTTPError:
        return False


def _eventually(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def _query(prometheus: str, expression: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{prometheus}/api/v1/query", params={"query": expression}, timeout=10)
    body = response.json()
    assert body["status"] == "success", f"{expression}: {body}"
    result: list[dict[str, Any]] = body["data"]["result"]
    return result


def _alerts(prometheus: str) -> dict[str, str]:
    body = httpx.get(f"{prometheus}/api/v1/alerts", timeout=10).json()
    states: dict[str, str] = {}
    for alert in body["data"]["alerts"]:
        # firing outranks pending when one rule has both
        if states.get(alert["labels"]["alertname"]) != "firing":
            states[alert["labels"]["alertname"]] = alert["state"]
    return states


def _graphql(platform: Platform, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
    return httpx.post(platform.router_url, json={"query": query, "variables": variables or {}}, timeout=30)


def _drive_traffic(platform: Platform) -> None:
    login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }"
    _graphql(platform, login, {"e": "admin@soundcore.example", "p": PASSWORD})
    _graphql(platform, login, {"e": "admin@soundcore.example", "p": "wrong password"})
    for text in ("bluetooth pairing", "battery", "zzqxv nothing matches this"):
        search = "query($q: String!) { search(query: $q) { totalCount } }"
        assert _graphql(platform, search, {"q": text}).status_code == httpx.codes.OK
    for _ in range(5):
        _graphql(platform, "{ products(first: 5) { totalCount edges { node { name } } } }")
    _graphql(platform, "{ noSuchField }")  # a refused document: router_request_errors_total{code=...}


@contextlib.contextmanager
def _router_that_cannot_compose(platform: Platform, port: int, folder: Path) -> Iterator[str]:
    """A router replica whose knowledge URL answers nothing: it never gets a supergraph, so it answers
    every GraphQL request 503 SUBGRAPH_UNAVAILABLE (router/app.py) — real API errors. Started at the
    test's beginning and not waited for, so its start-up overlaps the traffic and panel steps."""
    urls = {f"{name.upper()}_SERVICE_URL": platform.url(name) + "/graphql" for name in SUBGRAPHS}
    urls["KNOWLEDGE_SERVICE_URL"] = f"http://127.0.0.1:{free_port()}/graphql"  # nothing listens there
    environment = {**os.environ, **urls, "KCP_DATA_DIR": str(folder), "KCP_LOG_JSON": "true"}
    with (folder / "router.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "commands", "router", "--port", str(port)],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(20)


def test_every_panel_and_alert_on_a_real_prometheus(
    platform: Platform, prometheus: str, spare_router_port: int, tmp_path: Path
) -> None:
    with contextlib.ExitStack() as stack:
        _panels_and_alerts(platform, prometheus, spare_router_port, tmp_path, stack)


def _panels_and_alerts(
    platform: Platform, prometheus: str, spare_router_port: int, tmp_path: Path, stack: contextlib.ExitStack
) -> None:
    replica = stack.enter_context(_router_that_cannot_compose(platform, spare_router_port, tmp_path))
    _drive_traffic(platform)
    # Every target scraped (the six processes and the replica); each panel below waits for its series.
    assert _eventually(lambda: len(_query(prometheus, "up == 1")) == TARGETS, 40), _query(prometheus, "up")

    panels = panel_expressions()
    empty = []
    for dashboard, panel, expression in panels:
        if not _eventually(lambda e=expression: bool(_query(prometheus, e)), 20):
            empty.append(f"{dashboard} / {panel}: {expression}")
    assert not empty, "panels without series:\n" + "\n".join(empty)

    platform.processes["knowledge"].stop()
    seen: set[str] = set()

    def subgraph_down_pending() -> bool:
        _graphql(platform, "{ products(first: 1) { totalCount } }")  # the router tries knowledge
        state = _alerts(prometheus).get("SubgraphDown")
        return state in {"pending", "firing"}

    assert _eventually(subgraph_down_pending, 30), _alerts(prometheus)
    seen.add("SubgraphDown (pending)")

    # Readiness probes answered 503 are not API errors: sent until Prometheus computes their rate
    # above the rule's threshold, then on for the rule's test `for:` and more, HighErrorRate stays
    # quiet (not even pending) all along.
    ready_503s = 'sum(rate(http_requests_total{service="router",path="/ready",status="503"}[5m])) > 0.05'

    def probes_seen_and_quiet() -> bool:
        for _ in range(5):
            answer = httpx.get(platform.url("router") + "/ready", timeout=5)
            assert answer.status_code == httpx.codes.SERVICE_UNAVAILABLE, answer.text
        assert "HighErrorRate" not in _alerts(prometheus), _alerts(prometheus)
        return bool(_query(prometheus, ready_503s))

    assert _eventually(probes_seen_and_quiet, 30), _query(prometheus, "http_requests_total{path='/ready'}")
    quiet_until = time.monotonic() + QUIET_SECONDS
    while time.monotonic() < quiet_until:
        probes_seen_and_quiet()
        time.sleep(0.5)
    seen.add("HighErrorRate (quiet on /ready 503s)")

    query = {"query": "{ products(first: 1) { totalCount } }"}

    def high_error_rate_firing() -> bool:
        for _ in range(20):
            answer = httpx.post(replica + "/graphql", json=query, timeout=5)
            assert answer.status_code == httpx.codes.SERVICE_UNAVAILABLE, answer.text
        return _alerts(prometheus).get("HighErrorRate") == "firing"

    assert _eventually(high_error_rate_firing, 40), _alerts(prometheus)
    seen.add("HighErrorRate (firing on /graphql 503s)")

    rules = [r for r in alert_rules() if not any(n.startswith(KUBE_STATE_PREFIX) for n in metric_names(r["expr"]))]
    empty = [r["alert"] for r in rules if not _query(prometheus, without_threshold(r["expr"]))]
    assert not empty, f"alert expressions without series: {empty}"
    print(  # the figures the closing note quotes (pytest -s)
        f"\nprometheus: {len(panels)} panel expressions and {len(rules)} alert expressions returned series; "
        f"alerts seen: {', '.join(sorted(seen))}; all alert states: {_alerts(prometheus)}"
    )
