"""The monitoring files agree with the code: every metric a panel or an alert reads is one the
processes export, the scrape configuration names the six processes on their ports, and the
dashboards and provisioning files are what Grafana loads.

``make ops-check`` runs these beside ``promtool check rules`` and ``promtool test rules``; the
real Prometheus test (``tests/e2e/test_prometheus.py``) then asks a running server for each series.
"""

from __future__ import annotations

import importlib

import pytest
import yaml
from prometheus_client import REGISTRY
from promql import (
    EXTERNAL_METRICS,
    KUBE_STATE_PREFIX,
    MONITORING,
    alert_rules,
    dashboards,
    metric_names,
    panel_expressions,
    without_threshold,
)

from kcp.settings import ROUTER_PORT, SUBGRAPH_PORTS

# The modules that declare metrics, as each process imports them.
METRIC_MODULES = (
    "kcp.metrics",
    "kcp.events",
    "router.pipeline.http",
    "router.transport",
    "router.lru",
    "router.inflight",
    "subgraphs.analytics.events.service",
    "subgraphs.auth.sessions.service",
    "subgraphs.content.items.service",
)
# prometheus_client's process collector (Linux) and the histogram and counter suffixes.
PROCESS_METRICS = frozenset(
    {"process_start_time_seconds", "process_resident_memory_bytes", "process_cpu_seconds_total"}
)
GUIDE_DASHBOARDS = {
    "KCP / System Overview",
    "KCP / API Performance",
    "KCP / Database Metrics",
    "KCP / Business Metrics",
}


def exported_metrics() -> set[str]:
    for module in METRIC_MODULES:
        importlib.import_module(module)
    names = set(PROCESS_METRICS)
    for collector_metric in REGISTRY.collect():
        names.add(collector_metric.name)
        names.update(sample.name for sample in collector_metric.samples)
        # A labelled metric has no samples until a label set is used: name its series by type.
        if collector_metric.type == "counter":
            names.add(collector_metric.name + "_total")
        if collector_metric.type == "histogram":
            names.update(collector_metric.name + suffix for suffix in ("_bucket", "_count", "_sum"))
    return names


@pytest.mark.parametrize(("dashboard", "panel", "expression"), panel_expressions())
def test_every_panel_reads_metrics_the_processes_export(dashboard: str, panel: str, expression: str) -> None:
    unknown = metric_names(expression) - exported_metrics() - EXTERNAL_METRICS
    assert not unknown, f"{dashboard} / {panel} reads {sorted(unknown)}, which no process exports"


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda rule: rule["alert"])
def test_every_alert_reads_metrics_the_processes_export(rule: dict[str, str]) -> None:
    names = {n for n in metric_names(rule["expr"]) if not n.startswith(KUBE_STATE_PREFIX)}
    unknown = names - exported_metrics()
    assert not unknown, f"{rule['alert']} reads {sorted(unknown)}, which no process exports"
    assert rule["labels"]["severity"] in {"critical", "warning"}
    assert rule["annotations"]["runbook"].startswith("docs/operations.md#")


def test_the_guide_alerts_keep_its_thresholds_and_durations() -> None:
    rules = {rule["alert"]: rule for rule in alert_rules()}
    assert without_threshold(rules["HighErrorRate"]["expr"]) != rules["HighErrorRate"]["expr"]
    assert rules["HighErrorRate"]["expr"].rstrip().endswith("> 0.05")
    assert (rules["HighErrorRate"]["for"], rules["HighErrorRate"]["labels"]["severity"]) == ("5m", "critical")
    assert rules["HighLatency"]["expr"].startswith("histogram_quantile(0.95,")
    assert rules["HighLatency"]["expr"].rstrip().endswith("> 2")
    assert (rules["HighLatency"]["for"], rules["HighLatency"]["labels"]["severity"]) == ("10m", "warning")
    assert "[15m]" in rules["PodCrashing"]["expr"]
    assert "for" not in rules["PodCrashing"]
    assert rules["PodCrashing"]["labels"]["severity"] == "critical"


def test_the_runbooks_the_alerts_link_exist() -> None:
    operations = (MONITORING.parent / "docs" / "operations.md").read_text(encoding="utf-8")
    anchors = {rule["annotations"]["runbook"].split("#", 1)[1] for rule in alert_rules()}
    headings = {
        "-".join("".join(c for c in line.lstrip("#").strip().lower() if c.isalnum() or c in " -").split())
        for line in operations.splitlines()
        if line.startswith("#")
    }
    assert anchors <= headings, f"no heading in docs/operations.md for {sorted(anchors - headings)}"


def test_the_four_guide_dashboards_are_provisioned() -> None:
    loaded = dashboards()
    assert {d["title"] for d in loaded.values()} == GUIDE_DASHBOARDS
    assert len({d["uid"] for d in loaded.values()}) == len(loaded)
    provisioning = yaml.safe_load((MONITORING / "grafana/provisioning/dashboards/kcp.yml").read_text(encoding="utf-8"))
    datasources = yaml.safe_load(
        (MONITORING / "grafana/provisioning/datasources/prometheus.yml").read_text(encoding="utf-8")
    )
    uid = datasources["datasources"][0]["uid"]
    assert provisioning["providers"][0]["type"] == "file"
    for dashboard in loaded.values():
        for panel in dashboard["panels"]:
            assert panel["datasource"]["uid"] == uid, f"{dashboard['title']} / {panel['title']}"
            assert panel["targets"], f"{dashboard['title']} / {panel['title']} has no query"


def test_the_scrape_configuration_names_the_six_processes_on_their_ports() -> None:
    config = yaml.safe_load((MONITORING / "prometheus/prometheus.yml").read_text(encoding="utf-8"))
    targets = {job["job_name"]: job["static_configs"][0]["targets"] for job in config["scrape_configs"]}
    expected = {name: [f"{name}:{port}"] for name, port in {**SUBGRAPH_PORTS, "router": ROUTER_PORT}.items()}
    assert targets == expected
    assert config["rule_files"] == ["/etc/prometheus/rules.yml"]


def test_promql_reading() -> None:
    expression = 'sum by (service, le) (rate(x_bucket{a="b c", le=~"1e-9"}[5m])) / clamp_min(y_total, 1e-9) > 2'
    assert metric_names(expression) == {"x_bucket", "y_total"}
    assert without_threshold(expression).endswith("1e-9)")
