"""The Fluent Bit configuration has what the deployment guide's logging stack needs: the services'
JSON parser, the Kubernetes metadata filter, an Elasticsearch output with unlimited retries, and
a filesystem buffer. (Fluent Bit has no Debian package here; its parsing of the services' real
lines is tested in test_observability.py.)"""

from __future__ import annotations

import subprocess
import sys

import fluentbit


def test_the_pipeline_has_parser_kubernetes_metadata_elasticsearch_retry_and_buffer() -> None:
    config = fluentbit.sections(fluentbit.FLUENT_BIT / "fluent-bit.conf")
    service = next(keys for kind, keys in config if kind == "SERVICE")
    assert service["parsers_file"] == "parsers.conf"
    assert service["storage.path"]
    inputs = [keys for kind, keys in config if kind == "INPUT"]
    assert {i["name"] for i in inputs} == {"tail", "forward"}
    assert all(i["storage.type"] == "filesystem" for i in inputs)
    filters = {keys["name"]: keys for kind, keys in config if kind == "FILTER"}
    assert filters["kubernetes"]["merge_parser"] == "kcp_json"
    assert filters["parser"]["parser"] == "kcp_json"
    output = next(keys for kind, keys in config if kind == "OUTPUT")
    assert output["name"] == "es"
    assert output["retry_limit"] == "no_limits"
    assert output["storage.total_limit_size"]
    json_parser = fluentbit.parser("kcp_json")
    assert (json_parser["format"], json_parser["time_key"]) == ("json", "timestamp")


def test_the_parser_reads_a_line_as_kcp_logging_writes_it() -> None:
    # In a process of its own: configure_logging sets the process's logging for good.
    probe = (
        "import structlog; from kcp.logging import configure_logging; "
        "configure_logging('probe', json=True); structlog.get_logger().info('probe.logged', answer=42)"
    )
    written = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    line = written.stderr.strip().splitlines()[-1]
    record = fluentbit.apply_json_parser(line, fluentbit.parser("kcp_json"))
    assert (record["event"], record["service"], record["answer"]) == ("probe.logged", "probe", 42)
