"""docker-compose.yml: KCP services name only variables kcp/settings.py reads; the guide's variables are listed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kcp.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
KCP_IMAGE = "${KCP_IMAGE:-soundcore-kcp:local}"
# The deployment guide's "Required GitLab CI/CD Variables" and its ConfigMap keys.
GUIDE_VARIABLES = {
    "CI_REGISTRY_USER", "CI_REGISTRY_PASSWORD", "KUBE_CONFIG_STAGING", "KUBE_CONFIG_PRODUCTION",
    "DATABASE_URL", "MONGODB_URI", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "PINECONE_API_KEY",
    "SLACK_WEBHOOK_URL", "SENTRY_DSN", "KNOWLEDGE_SERVICE_URL", "ANALYTICS_SERVICE_URL",
    "CONTENT_SERVICE_URL", "ENABLE_RAG_ENGINE", "ENABLE_CONTENT_GENERATION", "ENABLE_KNOWLEDGE_GRAPH",
    "RATE_LIMIT_PER_MINUTE", "CACHE_TTL",
}  # fmt: skip


def settings_variables() -> set[str]:
    """The environment variables the settings classes declare (case-insensitive names, upper-cased)."""
    return {(field.alias or name).upper() for name, field in Settings.model_fields.items()}


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def kcp_services() -> dict[str, dict[str, Any]]:
    return {name: service for name, service in compose()["services"].items() if service.get("image") == KCP_IMAGE}


# Read by boto3's credential chain in `kcp backup` (kcp/backup/bucket.py), not by kcp/settings.py.
BOTO3_VARIABLES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"}


def test_every_kcp_service_names_only_variables_the_settings_read() -> None:
    known = settings_variables()
    services = kcp_services()
    assert {"router", "knowledge", "content", "support", "analytics", "auth", "backup"} <= set(services)
    for name, service in services.items():
        unknown = set(service.get("environment", {})) - known - (BOTO3_VARIABLES if name == "backup" else set())
        assert not unknown, f"{name} sets {sorted(unknown)}, which kcp/settings.py does not read"


def test_the_backup_service_runs_kcp_backup_under_its_profile_with_json_logs() -> None:
    services = compose()["services"]
    backup = services["backup"]
    assert (backup["command"], backup["profiles"], backup["restart"]) == (["backup"], ["backup"], "no")
    assert {"DATABASE_URL", "MONGODB_URI", "NEO4J_URI", "S3_BACKUP_BUCKET"} <= set(backup["environment"])
    assert "KCP_PG_BIN" not in backup["environment"], "the image's own pg_dump (on its PATH) is the one to use"
    for name, service in kcp_services().items():
        assert service["environment"]["KCP_LOG_JSON"] == "true", name
        assert "SENTRY_DSN" in service["environment"], name
    assert "0 * * * *" in (ROOT / "docker-compose.yml").read_text()


def test_the_check_would_catch_a_stray_variable() -> None:
    assert "DATABASE_URL" in settings_variables()
    assert "DATABASE_PASSWORD" not in settings_variables()


def test_the_env_example_lists_every_guide_variable_without_values() -> None:
    lines = [line for line in (ROOT / ".env.example").read_text().splitlines() if line and not line.startswith("#")]
    names = {line.partition("=")[0] for line in lines}
    assert names >= GUIDE_VARIABLES
    assert all(line.endswith("=") for line in lines), "the .env.example carries a value"


def test_the_stores_and_services_have_healthchecks_conditions_and_named_volumes() -> None:
    document = compose()
    services = document["services"]
    assert {"postgres", "mongo", "neo4j", "redis"} <= set(services)
    assert services["postgres"]["image"].startswith("pgvector/pgvector:pg16")
    assert services["mongo"]["image"] == "mongo:7"
    assert "--replSet" in services["mongo"]["command"]
    assert services["neo4j"]["image"].startswith("neo4j:5")
    assert services["redis"]["image"].startswith("redis:7")
    for name, service in services.items():
        if "monitoring" in service.get("profiles", []) or name in {"seed", "backup", "fluent-bit"}:
            continue
        assert "healthcheck" in service, f"{name} has no healthcheck"
        for dependency, condition in service.get("depends_on", {}).items():
            assert condition["condition"] == "service_healthy", f"{name} starts before {dependency} is healthy"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith("."):
                assert source in document["volumes"], f"{name} mounts an undeclared volume {source}"


def test_the_monitoring_profile_mounts_the_shared_files() -> None:
    services = compose()["services"]
    mounts = {
        volume.split(":")[0]
        for name in ("prometheus", "grafana", "fluent-bit")
        for volume in services[name]["volumes"]
        if volume.startswith("./")
    }
    assert mounts == {
        "./monitoring/prometheus/prometheus.yml",
        "./monitoring/prometheus/rules.yml",
        "./monitoring/grafana/provisioning",
        "./monitoring/grafana/dashboards",
        "./monitoring/fluent-bit/fluent-bit.conf",
        "./monitoring/fluent-bit/parsers.conf",
    }
    assert all(services[name]["profiles"] == ["monitoring"] for name in ("prometheus", "grafana", "fluent-bit"))


def _fluent_bit_sections() -> list[tuple[str, dict[str, str]]]:
    """``[SECTION]`` blocks of monitoring/fluent-bit/fluent-bit.conf with their keys, lower-cased."""
    found: list[tuple[str, dict[str, str]]] = []
    for raw in (ROOT / "monitoring" / "fluent-bit" / "fluent-bit.conf").read_text().splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            found.append((line[1:-1].upper(), {}))
        elif line and not line.startswith("#"):
            key, _, value = line.partition(" ")
            found[-1][1][key.lower()] = value.strip()
    return found


def test_every_kcp_service_logs_to_the_fluent_bit_forward_input_and_its_parser_matches_the_tag() -> None:
    services = compose()["services"]
    (forward,) = [keys for kind, keys in _fluent_bit_sections() if kind == "INPUT" and keys["name"] == "forward"]
    published = {port.rsplit(":", 1)[1]: port.rsplit(":", 1)[0] for port in services["fluent-bit"]["ports"]}
    # The Docker daemon connects from the host: the forward port is published there, on loopback only.
    assert published[forward["port"]] == "127.0.0.1:" + forward["port"]
    for name, service in kcp_services().items():
        logging = service.get("logging", {})
        assert logging.get("driver") == "fluentd", f"{name} keeps the default log driver: Fluent Bit gets nothing"
        options = logging["options"]
        assert options["fluentd-address"] == "127.0.0.1:" + forward["port"], name
        assert options["fluentd-async"] == "true", f"{name} would not start while the monitoring profile is down"
        assert options["tag"] == "{{.Name}}", name
    # What arrives is tagged <prefix><container name>; the JSON parser filter must match that tag.
    prefix = forward["tag_prefix"]
    (parse,) = [keys for kind, keys in _fluent_bit_sections() if kind == "FILTER" and keys["name"] == "parser"]
    assert parse["match"] == prefix + "*"
    assert (parse["key_name"], parse["parser"]) == ("log", "kcp_json")
    assert "tag" not in forward, "Tag would replace the container name the daemon sends with one fixed tag"
