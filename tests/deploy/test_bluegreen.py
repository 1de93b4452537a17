"""Blue-green and canary decisions of scripts/deploy/bluegreen.py.

Two clusters: an in-memory fake (always), and the real kube-apiserver on loopback of
scripts/deploy/apiserver.sh when it is running (KUBECONFIG and KCP_KUBECTL from `apiserver.sh up`;
`make deploy-check` starts it). The loopback server stores and validates objects but runs no
kubelet, so rollouts are not waited for and the health check is a function the test controls.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bluegreen", ROOT / "scripts" / "deploy" / "bluegreen.py")
assert _spec is not None
assert _spec.loader is not None
bluegreen = importlib.util.module_from_spec(_spec)
sys.modules["bluegreen"] = bluegreen  # dataclasses look their module up
_spec.loader.exec_module(bluegreen)
COLOR = bluegreen.COLOR_LABEL


def base_manifests() -> list[dict[str, Any]]:
    docs = []
    for path in sorted((ROOT / "k8s" / "base" / "services").glob("*.yaml")):
        docs += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return docs


class FakeCluster:
    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], dict[str, Any]] = {}
        self.events: list[str] = []

    def service_selectors(self) -> dict[str, dict[str, str]]:
        return {name: obj["spec"]["selector"] for (kind, name), obj in self.objects.items() if kind == "Service"}

    def apply(self, manifests: list[dict[str, Any]]) -> None:
        for manifest in manifests:
            self.objects[manifest["kind"], manifest["metadata"]["name"]] = copy.deepcopy(manifest)

    def wait_for_rollout(self, deployment: str, timeout_seconds: int) -> None:  # noqa: ARG002 - the protocol's
        self.events.append(f"wait {deployment}")

    def set_selector(self, service: str, selector: dict[str, str]) -> None:
        self.objects["Service", service]["spec"]["selector"] = dict(selector)

    def delete(self, kind: str, name: str) -> None:
        wanted = {"deployment": "Deployment", "horizontalpodautoscaler": "HorizontalPodAutoscaler"}[kind]
        self.objects.pop((wanted, name), None)

    def deployment_names(self) -> list[str]:
        return sorted(name for kind, name in self.objects if kind == "Deployment")


def deploy(cluster: Any, health: Any, image: str = "registry.gitlab.com/soundcore/kcp:v2", **run: Any) -> str:
    return bluegreen.Deploy(cluster, base_manifests(), image, health, log=lambda _line: None).run(**run)


def test_first_deploy_is_blue_then_green_replaces_it() -> None:
    cluster = FakeCluster()
    assert deploy(cluster, lambda: None, image="registry.gitlab.com/soundcore/kcp:v1") == "blue"
    assert cluster.deployment_names() == sorted(
        f"{name}-blue"
        for name in ("router", *(f"{s}-service" for s in ("knowledge", "content", "support", "analytics", "auth")))
    )
    assert deploy(cluster, lambda: None) == "green"
    assert all(name.endswith("-green") for name in cluster.deployment_names())
    assert {selector[COLOR] for selector in cluster.service_selectors().values()} == {"green"}
    router = cluster.objects["Deployment", "router-green"]
    assert router["spec"]["template"]["spec"]["containers"][0]["image"] == "registry.gitlab.com/soundcore/kcp:v2"
    assert (
        cluster.objects["HorizontalPodAutoscaler", "router-green"]["spec"]["scaleTargetRef"]["name"] == "router-green"
    )


def test_a_failed_health_check_after_the_switch_rolls_back() -> None:
    cluster = FakeCluster()
    deploy(cluster, lambda: None)
    with pytest.raises(bluegreen.DeployError, match="rolled back to blue: router answered 503"):
        deploy(cluster, lambda: "router answered 503")
    assert {selector[COLOR] for selector in cluster.service_selectors().values()} == {"blue"}
    assert all(name.endswith("-blue") for name in cluster.deployment_names())


def test_a_canary_runs_beside_the_live_colour_and_is_promoted_when_healthy() -> None:
    cluster = FakeCluster()
    deploy(cluster, lambda: None)
    seen: list[set[str]] = []

    def health() -> None:
        seen.append({selector.get(COLOR, "both") for selector in cluster.service_selectors().values()})
        if len(seen) == 1:  # during the canary: one router pod of three, beside blue
            assert cluster.objects["Deployment", "router-green"]["spec"]["replicas"] == 1
            assert ("HorizontalPodAutoscaler", "router-green") not in cluster.objects

    assert deploy(cluster, health, strategy="canary", canary_percent=10) == "green"
    assert seen == [{"both"}, {"green"}]
    assert cluster.objects["Deployment", "router-green"]["spec"]["replicas"] == 3


def test_a_failing_canary_is_removed_and_the_live_colour_kept() -> None:
    cluster = FakeCluster()
    deploy(cluster, lambda: None)
    with pytest.raises(bluegreen.DeployError, match="canary of green rolled back to blue"):
        deploy(cluster, lambda: "errors", strategy="canary")
    assert all(name.endswith("-blue") for name in cluster.deployment_names())
    assert {selector[COLOR] for selector in cluster.service_selectors().values()} == {"blue"}


def loopback() -> tuple[str, str]:
    kubeconfig, kubectl = os.environ.get("KUBECONFIG"), os.environ.get("KCP_KUBECTL")
    if not kubeconfig or not kubectl or not Path(kubeconfig).exists():
        pytest.skip('no loopback API server (eval "$(scripts/deploy/apiserver.sh up)" to run this test)')
    if 'server: "https://127.0.0.1:' not in Path(kubeconfig).read_text():
        pytest.skip(f"{kubeconfig} is not the loopback API server of scripts/deploy/apiserver.sh: not touching it")
    probe = subprocess.run([kubectl, "get", "--raw", "/readyz"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"the loopback API server does not answer: {probe.stderr.strip()}")
    return kubeconfig, kubectl


def test_the_switch_and_the_rollback_against_the_loopback_api_server() -> None:
    _, kubectl = loopback()
    namespace = f"kcp-bluegreen-{uuid.uuid4().hex[:8]}"
    subprocess.run([kubectl, "create", "namespace", namespace], check=True, capture_output=True)
    try:
        cluster = bluegreen.Kubectl(namespace, kubectl, wait=False)
        assert deploy(cluster, lambda: None) == "blue"
        with pytest.raises(bluegreen.DeployError, match="rolled back to blue"):
            deploy(cluster, lambda: "post-deploy health check failed")
        services = json.loads(
            subprocess.run(
                [kubectl, "-n", namespace, "get", "services", "-o", "json"], check=True, capture_output=True, text=True
            ).stdout
        )["items"]
        assert {item["spec"]["selector"][COLOR] for item in services} == {"blue"}
        assert all(name.endswith("-blue") for name in cluster.deployment_names())
        assert deploy(cluster, lambda: None) == "green"
        assert {selector[COLOR] for selector in cluster.service_selectors().values()} == {"green"}
    finally:
        subprocess.run([kubectl, "delete", "namespace", namespace, "--wait=false"], capture_output=True, check=False)
