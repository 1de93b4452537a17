"""k8s/: the guide's figures, hardening, names kcp/settings.py reads, and the rendered PrometheusRule in sync."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import yaml

from kcp.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "k8s" / "base"
GUIDE_CONFIGMAP_KEYS = {
    "KNOWLEDGE_SERVICE_URL", "ANALYTICS_SERVICE_URL", "CONTENT_SERVICE_URL", "ENABLE_RAG_ENGINE",
    "ENABLE_CONTENT_GENERATION", "ENABLE_KNOWLEDGE_GRAPH", "RATE_LIMIT_PER_MINUTE", "CACHE_TTL",
}  # fmt: skip


def documents(folder: Path = BASE) -> list[dict[str, Any]]:
    found = []
    for path in sorted(folder.rglob("*.yaml")):
        if path.name != "kustomization.yaml":
            found += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return found


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in documents() if doc["kind"] == kind}


def settings_variables() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def test_the_prometheus_rule_is_the_rendering_of_the_rules_file() -> None:
    spec = importlib.util.spec_from_file_location("render", ROOT / "scripts" / "deploy" / "render_prometheus_rule.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (BASE / "prometheusrule.yaml").read_text() == module.render(module.RULES.read_text()), (
        "k8s/base/prometheusrule.yaml is stale: run scripts/deploy/render_prometheus_rule.py"
    )
    alerts = {
        rule["alert"] for group in of_kind("PrometheusRule")["kcp-alerts"]["spec"]["groups"] for rule in group["rules"]
    }
    assert {"HighErrorRate", "HighLatency", "PodCrashing"} <= alerts


def test_the_configmap_has_the_guide_keys_and_only_settings_variables() -> None:
    data = of_kind("ConfigMap")["kcp-config"]["data"]
    assert set(data) >= GUIDE_CONFIGMAP_KEYS
    assert set(data) <= settings_variables()


def test_deployments_have_the_guide_figures_probes_and_hardening() -> None:
    deployments = of_kind("Deployment")
    subgraphs = ("knowledge", "content", "support", "analytics", "auth")
    assert set(deployments) == {"router", *(f"{name}-service" for name in subgraphs)}
    for name, deployment in deployments.items():
        spec = deployment["spec"]
        pod = spec["template"]["spec"]
        (container,) = pod["containers"]
        expected = ("500m", "512Mi", "1000m", "1Gi", 3) if name == "router" else ("250m", "256Mi", "500m", "512Mi", 2)
        resources = container["resources"]
        assert (
            resources["requests"]["cpu"], resources["requests"]["memory"],
            resources["limits"]["cpu"], resources["limits"]["memory"], spec["replicas"],
        ) == expected, name  # fmt: skip
        assert container["livenessProbe"]["httpGet"]["path"] == "/health"
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        unknown = {variable["name"] for variable in container.get("env", [])} - settings_variables()
        assert not unknown, f"{name} sets {sorted(unknown)}, which kcp/settings.py does not read"


# Read by boto3's credential chain in `kcp backup`, not by kcp/settings.py.
BOTO3_VARIABLES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"}


def test_the_backup_cronjob_runs_hourly_hardened_with_the_stores_and_the_bucket() -> None:
    job = of_kind("CronJob")["kcp-backup"]["spec"]
    assert (job["schedule"], job["concurrencyPolicy"]) == ("0 * * * *", "Forbid")
    assert job["successfulJobsHistoryLimit"] >= 1
    assert job["failedJobsHistoryLimit"] >= 1
    pod = job["jobTemplate"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert (container["image"], container["args"]) == ("soundcore-kcp", ["backup"])
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    context = container["securityContext"]
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"]["drop"] == ["ALL"]
    assert {"requests", "limits"} <= set(container["resources"])
    assert "/tmp" in {mount["mountPath"] for mount in container["volumeMounts"]}  # noqa: S108 - an emptyDir
    assert container["envFrom"] == [{"configMapRef": {"name": "kcp-config"}}]
    names = {variable["name"] for variable in container["env"]}
    assert names >= {
        "DATABASE_URL", "MONGODB_URI", "NEO4J_URI", "NEO4J_PASSWORD", "S3_BACKUP_BUCKET", "S3_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    }  # fmt: skip
    assert "KCP_PG_BIN" not in names, "the image's own pg_dump (on its PATH) is the one to use"
    unknown = names - settings_variables() - BOTO3_VARIABLES
    assert not unknown, f"kcp-backup sets {sorted(unknown)}, which kcp/settings.py does not read"
    assert "backup-cronjob.yaml" in (BASE / "kustomization.yaml").read_text()


def test_the_fluent_bit_copies_are_the_monitoring_files() -> None:
    spec = importlib.util.spec_from_file_location(
        "render_fluent_bit", ROOT / "scripts" / "deploy" / "render_fluent_bit_config.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in module.FILES:
        assert (BASE / "logging" / name).read_text() == module.render(name, (module.SOURCE / name).read_text()), (
            f"k8s/base/logging/{name} is stale: run scripts/deploy/render_fluent_bit_config.py"
        )


def test_the_fluent_bit_daemonset_mounts_its_config_the_logs_and_its_state() -> None:
    kustomization = yaml.safe_load((BASE / "logging" / "kustomization.yaml").read_text())
    (generator,) = kustomization["configMapGenerator"]
    assert (generator["name"], generator["files"]) == ("fluent-bit-config", ["fluent-bit.conf", "parsers.conf"])
    pod = of_kind("DaemonSet")["fluent-bit"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    mounts = {mount["mountPath"]: mount for mount in container["volumeMounts"]}
    assert volumes[mounts["/fluent-bit/etc/"]["name"]]["configMap"]["name"] == "fluent-bit-config"
    assert volumes[mounts["/var/log"]["name"]]["hostPath"]["path"] == "/var/log"
    assert mounts["/var/log"]["readOnly"] is True
    assert volumes[mounts["/var/fluent-bit/state"]["name"]]["hostPath"]["path"] == "/var/fluent-bit/state"
    conf = (ROOT / "monitoring" / "fluent-bit" / "fluent-bit.conf").read_text()
    for variable in {variable["name"] for variable in container["env"]}:
        assert f"${{{variable}}}" in conf
    assert {"ELASTICSEARCH_HOST", "ELASTICSEARCH_PORT"} <= {variable["name"] for variable in container["env"]}
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    (rule,) = of_kind("ClusterRole")["soundcore-kcp-fluent-bit"]["rules"]
    assert (set(rule["resources"]), set(rule["verbs"])) == ({"pods", "namespaces"}, {"get", "list", "watch"})
    binding = of_kind("ClusterRoleBinding")["soundcore-kcp-fluent-bit"]
    assert binding["subjects"][0]["name"] == pod["serviceAccountName"] == "fluent-bit"


def test_every_deployment_has_an_hpa_at_70_percent_cpu_and_a_pdb() -> None:
    hpas, pdbs = of_kind("HorizontalPodAutoscaler"), of_kind("PodDisruptionBudget")
    for name in of_kind("Deployment"):
        metric = hpas[name]["spec"]["metrics"][0]["resource"]
        assert (metric["name"], metric["target"]["averageUtilization"]) == ("cpu", 70)
        assert name in pdbs


def test_stores_are_statefulsets_with_the_guide_volume_sizes() -> None:
    sizes = {
        name: (sts["spec"]["replicas"], sts["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"])
        for name, sts in of_kind("StatefulSet").items()
    }
    assert sizes == {
        "postgres": (1, {"storage": "50Gi"}),
        "mongo": (3, {"storage": "100Gi"}),
        "redis": (1, {"storage": "10Gi"}),
        "neo4j": (1, {"storage": "50Gi"}),
    }


def test_redis_evicts_least_recently_used_keys_below_its_memory_limit() -> None:
    container = of_kind("StatefulSet")["redis"]["spec"]["template"]["spec"]["containers"][0]
    args = container["args"]
    assert args[args.index("--maxmemory-policy") + 1] == "allkeys-lru"
    assert args[args.index("--maxmemory") + 1] == "768mb"
    assert container["resources"]["limits"]["memory"] == "1Gi"


def test_network_policies_deny_by_default_and_open_stores_to_their_owners_only() -> None:
    policies = {
        doc["metadata"]["name"]: doc["spec"] for doc in documents(ROOT / "k8s" / "components" / "network-policies")
    }
    deny = policies["default-deny-all"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"], "ingress": [], "egress": []}

    def sources(policy: str) -> set[str]:
        peers = [peer for rule in policies[policy]["ingress"] for peer in rule["from"]]
        return {value for peer in peers for expr in peer["podSelector"]["matchExpressions"] for value in expr["values"]}

    assert sources("postgres-from-owners") == {"knowledge", "support", "analytics", "auth", "backup"}
    assert sources("neo4j-from-knowledge") == {"knowledge", "backup"}
    assert sources("redis-from-router") == {"router"}
    assert sources("mongo-from-owners") == {"content", "support", "mongo", "mongo-rs-init", "backup"}
    backup_to = {
        (value, rule["ports"][0]["port"])
        for rule in policies["backup-egress"]["egress"]
        for peer in rule["to"]
        for expr in peer["podSelector"]["matchExpressions"]
        for value in expr["values"]
    }
    assert backup_to == {("postgres", 5432), ("mongo", 27017), ("neo4j", 7687)}
    https = policies["kcp-egress-https"]["podSelector"]["matchExpressions"][0]["values"]
    assert "backup" in https
    router_from = [peer for rule in policies["router-from-ingress-controller"]["ingress"] for peer in rule["from"]]
    assert all("namespaceSelector" in peer and "podSelector" not in peer for peer in router_from)


def test_the_overlays_use_the_guide_namespaces() -> None:
    for overlay, namespace in (("staging", "soundcore-kcp-staging"), ("production", "soundcore-kcp-prod")):
        kustomization = yaml.safe_load((ROOT / "k8s" / "overlays" / overlay / "kustomization.yaml").read_text())
        assert kustomization["namespace"] == namespace
        assert "../../components/network-policies" in kustomization["components"]


def test_the_secret_template_has_no_values_and_is_not_applied() -> None:
    template, signing_keys = yaml.safe_load_all((ROOT / "k8s" / "secret.template.yaml").read_text())
    assert set(template["stringData"].values()) == set(signing_keys["stringData"].values()) == {""}
    assert "secret" not in (BASE / "kustomization.yaml").read_text().lower()
    keys = set(template["stringData"])
    workloads = [*of_kind("Deployment").values(), *of_kind("StatefulSet").values(), *of_kind("DaemonSet").values()]
    pods = [doc["spec"]["template"]["spec"] for doc in workloads]
    pods += [job["spec"]["jobTemplate"]["spec"]["template"]["spec"] for job in of_kind("CronJob").values()]
    referenced = {
        variable["valueFrom"]["secretKeyRef"]["key"]
        for pod in pods
        for container in pod["containers"]
        for variable in container.get("env", [])
        if "secretKeyRef" in variable.get("valueFrom", {})
    }
    assert referenced == keys


def test_auth_signs_with_keys_from_a_secret_so_it_scales_without_a_shared_volume() -> None:
    pod = of_kind("Deployment")["auth-service"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    folder = next(v["value"] for v in container["env"] if v["name"] == "KCP_SIGNING_KEYS_DIR")
    mount = next(m for m in container["volumeMounts"] if m["mountPath"] == folder)
    assert mount["readOnly"] is True
    volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
    assert volume["secret"]["secretName"] == "kcp-auth-signing-keys"
    assert volume["secret"]["defaultMode"] == 0o400, "keys readable by the service's user only"
    claims = of_kind("PersistentVolumeClaim").values()
    assert not [c for c in claims if "ReadWriteMany" in c["spec"]["accessModes"]], "no RWX volume is needed"
    (_, signing_keys) = yaml.safe_load_all((ROOT / "k8s" / "secret.template.yaml").read_text())
    assert signing_keys["metadata"]["name"] == "kcp-auth-signing-keys"
    assert "kcp-auth-signing-keys" in (ROOT / "scripts" / "deploy" / "deploy.sh").read_text()
