"""Blue-green and canary deploys of KCP's Deployments, with an automatic rollback on failed health checks.

The pipeline's production job runs this (the logic is here, not in YAML, so it is tested):

    python3 scripts/deploy/bluegreen.py deploy --manifests rendered.yaml --namespace soundcore-kcp-prod \\
        --image registry/kcp:abc123 --health-url https://kcp.soundcore.com/ready [--strategy canary]
    python3 scripts/deploy/bluegreen.py rollback --namespace soundcore-kcp-prod

How it works. Each KCP Deployment (router and subgraphs, labelled app.kubernetes.io/component edge or
subgraph) exists in one colour at a time, `NAME-blue` or `NAME-green`, its pods labelled
`kcp.soundcore.com/color`. The Services select the live colour. A deploy:

1. applies everything that is not colour-specific (ConfigMap, stores, policies, ...), keeping each
   Service's current selector;
2. creates the other colour's Deployments (and their HPAs) with the new image, and waits for their
   rollout (readiness probes on /ready);
3. blue-green: switches every Service's selector to the new colour; canary: first lets the Services
   select both colours, with the new one at --canary-percent of the replicas, and promotes it only
   if the health checks pass;
4. checks health (--health-url, several times); on failure switches the Services back, deletes the
   new colour and exits 1 (the automatic rollback); on success deletes the old colour.

Standard library only (plus kubectl on PATH or $KCP_KUBECTL): it runs in the pipeline's deploy image.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

COLOR_LABEL = "kcp.soundcore.com/color"
COLORS = ("blue", "green")
COLORED_COMPONENTS = frozenset({"edge", "subgraph"})
IMAGE_REPOSITORY = "registry.gitlab.com/soundcore/kcp"

Manifest = dict[str, Any]


class DeployError(RuntimeError):
    """A step of the deploy failed; the message says which and what to do."""


class Cluster(Protocol):
    """The few Kubernetes operations a deploy needs (kubectl in production, a fake in unit tests)."""

    def service_selectors(self) -> dict[str, dict[str, str]]: ...
    def apply(self, manifests: Sequence[Manifest]) -> None: ...
    def wait_for_rollout(self, deployment: str, timeout_seconds: int) -> None: ...
    def set_selector(self, service: str, selector: dict[str, str]) -> None: ...
    def delete(self, kind: str, name: str) -> None: ...
    def deployment_names(self) -> list[str]: ...


# ---- manifests ----


def is_colored(manifest: Manifest) -> bool:
    """A KCP Deployment, HPA or Service: the objects that come in one colour or switch between them."""
    labels = manifest.get("metadata", {}).get("labels", {})
    return manifest.get("kind") in {"Deployment", "HorizontalPodAutoscaler", "Service"} and (
        labels.get("app.kubernetes.io/component") in COLORED_COMPONENTS
    )


def other(color: str | None) -> str:
    """The colour a deploy creates: green after blue, blue after green or when nothing is live yet."""
    return "green" if color == "blue" else "blue"


def colored(
    manifests: Iterable[Manifest], color: str, image: str | None, replicas_percent: int = 100
) -> list[Manifest]:
    """The Deployments and HPAs of ``color``: renamed NAME-COLOR, pods labelled with it, ``image`` set.

    ``replicas_percent`` < 100 makes a canary: that share of each Deployment's replicas (at least one),
    without its HPA so the autoscaler does not grow it.
    """
    result = []
    for manifest in manifests:
        if not is_colored(manifest) or manifest["kind"] == "Service":
            continue
        item = copy.deepcopy(manifest)
        base_name = item["metadata"]["name"]
        item["metadata"]["name"] = f"{base_name}-{color}"
        item["metadata"].setdefault("labels", {})[COLOR_LABEL] = color
        if item["kind"] == "Deployment":
            spec = item["spec"]
            spec["selector"]["matchLabels"][COLOR_LABEL] = color
            spec["template"]["metadata"]["labels"][COLOR_LABEL] = color
            if replicas_percent < 100:  # noqa: PLR2004 - a percentage
                spec["replicas"] = max(1, math.ceil(spec.get("replicas", 1) * replicas_percent / 100))
            if image:
                for container in spec["template"]["spec"]["containers"]:
                    if container["image"].split(":")[0].split("@")[0] in {IMAGE_REPOSITORY, "soundcore-kcp"}:
                        container["image"] = image
        else:
            if replicas_percent < 100:  # noqa: PLR2004
                continue
            item["spec"]["scaleTargetRef"]["name"] = f"{base_name}-{color}"
        result.append(item)
    return result


def shared(manifests: Iterable[Manifest], selectors: dict[str, dict[str, str]]) -> list[Manifest]:
    """Everything not colour-specific; KCP Services keep the selector they have in the cluster."""
    result = []
    for manifest in manifests:
        if is_colored(manifest) and manifest["kind"] != "Service":
            continue
        item = copy.deepcopy(manifest)
        if is_colored(item):
            live = selectors.get(item["metadata"]["name"])
            if live is not None:
                item["spec"]["selector"] = live
        result.append(item)
    return result


def live_color(selectors: dict[str, dict[str, str]], services: Iterable[str]) -> str | None:
    """The colour every KCP Service selects (None before the first deploy or while a canary runs)."""
    colors = {selectors.get(name, {}).get(COLOR_LABEL) for name in services}
    if len(colors) == 1:
        return colors.pop()
    return None


def service_names(manifests: Iterable[Manifest]) -> list[str]:
    return [m["metadata"]["name"] for m in manifests if is_colored(m) and m["kind"] == "Service"]


def deployment_bases(manifests: Iterable[Manifest]) -> list[str]:
    return [m["metadata"]["name"] for m in manifests if is_colored(m) and m["kind"] == "Deployment"]


# ---- health ----


def http_health(urls: Sequence[str], attempts: int = 5, interval_seconds: float = 6.0) -> str | None:
    """None when every URL answers 200 on each of ``attempts`` rounds, else what failed."""
    for attempt in range(attempts):
        for url in urls:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the operator's URL
                    if response.status != 200:  # noqa: PLR2004
                        return f"{url} answered HTTP {response.status} (round {attempt + 1})"
            except (urllib.error.URLError, OSError, ValueError) as error:
                return f"{url} did not answer: {error} (round {attempt + 1})"
        if attempt + 1 < attempts:
            time.sleep(interval_seconds)
    return None


# ---- the deploy ----


@dataclass
class Deploy:
    cluster: Cluster
    manifests: list[Manifest]
    image: str | None
    health: Callable[[], str | None]
    rollout_timeout_seconds: int = 300
    log: Callable[[str], None] = field(default=lambda line: print(f"bluegreen: {line}", flush=True))

    def run(self, strategy: str = "blue-green", canary_percent: int = 10) -> str:
        """Deploy; returns the new live colour or raises DeployError after rolling back."""
        services = service_names(self.manifests)
        selectors = self.cluster.service_selectors()
        old = live_color(selectors, services)
        if old is None and any(COLOR_LABEL in selectors.get(name, {}) for name in services):
            msg = "the Services select different colours (an unfinished deploy?); run `bluegreen.py rollback` first"
            raise DeployError(msg)
        new = other(old)
        self.log(f"live colour {old or 'none (first deploy)'}; deploying {new} ({strategy})")
        self.cluster.apply(shared(self.manifests, selectors))
        if strategy == "canary" and old is not None:
            self._canary(old, new, canary_percent)
        self._start(new, 100)
        self._switch(services, new)
        problem = self.health()
        if problem:
            self.log(f"health check failed after switching to {new}: {problem}")
            self._roll_back(services, old, new)
            msg = f"deploy of {new} rolled back to {old or 'nothing'}: {problem}"
            raise DeployError(msg)
        if old is not None:
            for name in deployment_bases(self.manifests):
                self.cluster.delete("deployment", f"{name}-{old}")
                self.cluster.delete("horizontalpodautoscaler", f"{name}-{old}")
        self.log(f"{new} is live; {old or 'nothing'} removed")
        return new

    def _start(self, color: str, percent: int) -> None:
        self.cluster.apply(colored(self.manifests, color, self.image, percent))
        for name in deployment_bases(self.manifests):
            self.cluster.wait_for_rollout(f"{name}-{color}", self.rollout_timeout_seconds)

    def _switch(self, services: Sequence[str], color: str | None) -> None:
        for name in services:
            selector = {"app.kubernetes.io/name": self._app_name(name)}
            if color is not None:
                selector[COLOR_LABEL] = color
            self.cluster.set_selector(name, selector)
        self.log(f"Services now select {color or 'every colour'}")

    def _canary(self, old: str, new: str, percent: int) -> None:
        self.log(f"canary: {new} at {percent} % of the replicas beside {old}")
        self._start(new, percent)
        services = service_names(self.manifests)
        self._switch(services, None)  # both colours take traffic, in proportion to their pods
        problem = self.health()
        if problem:
            self.log(f"canary failed: {problem}")
            self._roll_back(services, old, new)
            msg = f"canary of {new} rolled back to {old}: {problem}"
            raise DeployError(msg)
        self.log("canary healthy: promoting")

    def _roll_back(self, services: Sequence[str], old: str | None, new: str) -> None:
        if old is not None:
            self._switch(services, old)
        for name in deployment_bases(self.manifests):
            self.cluster.delete("deployment", f"{name}-{new}")
            self.cluster.delete("horizontalpodautoscaler", f"{name}-{new}")
        self.log(f"rolled back: {old or 'no colour'} serves, {new} deleted")

    def _app_name(self, service: str) -> str:
        for manifest in self.manifests:
            if manifest["kind"] == "Service" and manifest["metadata"]["name"] == service:
                return str(manifest["spec"]["selector"]["app.kubernetes.io/name"])
        msg = f"no Service {service} in the manifests"
        raise DeployError(msg)


def rollback(cluster: Cluster, manifests: list[Manifest]) -> str:
    """Switch the Services to the colour whose Deployments exist besides the live one, drop the live one."""
    services = service_names(manifests)
    live = live_color(cluster.service_selectors(), services)
    existing = set(cluster.deployment_names())
    bases = deployment_bases(manifests)
    candidates = [color for color in COLORS if color != live and all(f"{b}-{color}" in existing for b in bases)]
    if not candidates:
        msg = f"nothing to roll back to: no complete colour besides {live or 'none'} ({sorted(existing)})"
        raise DeployError(msg)
    target = candidates[0]
    deploy = Deploy(cluster, manifests, image=None, health=lambda: None)
    deploy._switch(services, target)  # noqa: SLF001 - the same switch a deploy makes
    if live is not None:
        for name in bases:
            cluster.delete("deployment", f"{name}-{live}")
            cluster.delete("horizontalpodautoscaler", f"{name}-{live}")
    return target


# ---- kubectl ----


class Kubectl:
    """The Cluster operations through kubectl, in one namespace."""

    def __init__(self, namespace: str, kubectl: str | None = None, *, wait: bool = True) -> None:
        self.namespace = namespace
        self.command = [kubectl or os.environ.get("KCP_KUBECTL", "kubectl"), "--namespace", namespace]
        self.wait = wait

    def _run(self, *arguments: str, stdin: str | None = None) -> str:
        result = subprocess.run(  # noqa: S603 - our own kubectl invocation
            [*self.command, *arguments], input=stdin, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            msg = f"kubectl {' '.join(arguments)} failed: {result.stderr.strip()}"
            raise DeployError(msg)
        return result.stdout

    def service_selectors(self) -> dict[str, dict[str, str]]:
        items = json.loads(self._run("get", "services", "-o", "json"))["items"]
        return {item["metadata"]["name"]: item["spec"].get("selector", {}) for item in items}

    def apply(self, manifests: Sequence[Manifest]) -> None:
        document = {"apiVersion": "v1", "kind": "List", "items": list(manifests)}
        self._run("apply", "-f", "-", stdin=json.dumps(document))

    def wait_for_rollout(self, deployment: str, timeout_seconds: int) -> None:
        if self.wait:
            self._run("rollout", "status", f"deployment/{deployment}", f"--timeout={timeout_seconds}s")

    def set_selector(self, service: str, selector: dict[str, str]) -> None:
        patch = [{"op": "replace", "path": "/spec/selector", "value": selector}]
        self._run("patch", "service", service, "--type", "json", "-p", json.dumps(patch))

    def delete(self, kind: str, name: str) -> None:
        self._run("delete", kind, name, "--ignore-not-found", "--wait=false")

    def deployment_names(self) -> list[str]:
        items = json.loads(self._run("get", "deployments", "-o", "json"))["items"]
        return [item["metadata"]["name"] for item in items]


def load_manifests(path: str) -> list[Manifest]:
    """The rendered overlay as JSON: a List, or the objects `kubectl create --dry-run=client -o json` prints."""
    with open(path, encoding="utf-8") as handle:  # noqa: PTH123 - a path from the command line
        text = handle.read()
    decoder = json.JSONDecoder()
    items: list[Manifest] = []
    position = 0
    try:
        while position < len(text):
            if text[position].isspace():
                position += 1
                continue
            loaded, position = decoder.raw_decode(text, position)
            items += loaded["items"] if loaded.get("kind") == "List" else [loaded]
    except (json.JSONDecodeError, AttributeError):
        msg = f"{path} is not JSON objects: render it with `kubectl create -f RENDERED --dry-run=client -o json`"
        raise DeployError(msg) from None
    if not items:
        msg = f"{path} holds no objects"
        raise DeployError(msg)
    return items


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Blue-green / canary deploys of KCP with automatic rollback.")
    parser.add_argument("action", choices=("deploy", "rollback"))
    parser.add_argument("--manifests", required=True, help="the rendered overlay as a JSON List")
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--image", help="the image every KCP container runs")
    parser.add_argument("--health-url", action="append", default=[], help="checked after the switch (repeatable)")
    parser.add_argument("--strategy", choices=("blue-green", "canary"), default="blue-green")
    parser.add_argument("--canary-percent", type=int, default=10)
    parser.add_argument("--rollout-timeout", type=int, default=300)
    parser.add_argument("--health-attempts", type=int, default=5)
    parser.add_argument("--no-wait", action="store_true", help="do not wait for rollouts (API servers without nodes)")
    arguments = parser.parse_args(argv)
    try:
        cluster = Kubectl(arguments.namespace, wait=not arguments.no_wait)
        manifests = load_manifests(arguments.manifests)
        if arguments.action == "rollback":
            print(f"bluegreen: rolled back to {rollback(cluster, manifests)}")
            return 0
        urls = arguments.health_url

        def health() -> str | None:
            return http_health(urls, attempts=arguments.health_attempts) if urls else None

        deploy = Deploy(cluster, manifests, arguments.image, health, arguments.rollout_timeout)
        deploy.run(arguments.strategy, arguments.canary_percent)
    except DeployError as error:
        print(f"bluegreen: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
