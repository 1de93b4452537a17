"""Reads the monitoring files the way the tests need them: the PromQL of every dashboard panel and
every alert, and the metric names each expression reads."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

MONITORING = Path(__file__).resolve().parents[2] / "monitoring"
RULES_FILE = MONITORING / "prometheus" / "rules.yml"
DASHBOARDS = MONITORING / "grafana" / "dashboards"

# Series that come from Prometheus itself or from kube-state-metrics, not from our processes.
EXTERNAL_METRICS = frozenset({"up", "ALERTS"})
KUBE_STATE_PREFIX = "kube_"

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGES = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_IDENTIFIER = re.compile(r"(?<![\w.])([A-Za-z_:][\w:]*)(\s*\()?")
_KEYWORDS = frozenset({"and", "or", "unless", "bool", "offset", "inf", "nan"})


def metric_names(expression: str) -> set[str]:
    """The metric names ``expression`` selects (functions, keywords and label names left out)."""
    text = _STRINGS.sub('""', expression)
    text = _MATCHERS.sub("", text)
    text = _RANGES.sub("", text)
    text = _GROUPING.sub("", text)
    return {name for name, call in _IDENTIFIER.findall(text) if not call and name.lower() not in _KEYWORDS}


def alert_rules() -> list[dict[str, Any]]:
    """Every rule of rules.yml with its group's name under ``group``."""
    document = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return [{**rule, "group": group["name"]} for group in document["groups"] for rule in group["rules"]]


def dashboards() -> dict[str, dict[str, Any]]:
    """Each dashboard JSON by file name."""
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(DASHBOARDS.glob("*.json"))}


def panel_expressions() -> list[tuple[str, str, str]]:
    """(dashboard title, panel title, expression) for every query of every panel."""
    found = []
    for dashboard in dashboards().values():
        for panel in dashboard["panels"]:
            found.extend((dashboard["title"], panel["title"], t["expr"]) for t in panel.get("targets", []))
    return found


_COMPARISON = re.compile(r"\s*(?:>|<|==|!=|>=|<=)\s*[-+]?[\d.e]+\s*$")


def without_threshold(expression: str) -> str:
    """An alert's expression without its final comparison: the series it compares, which must
    exist whether or not the alert fires."""
    return _COMPARISON.sub("", expression.strip())
