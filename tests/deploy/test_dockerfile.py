"""The Dockerfile's invariants, checked without building it (`make containers-smoke` builds it)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def stages() -> dict[str, list[str]]:
    """Each stage's instructions (continuation lines joined), by stage name."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    result: dict[str, list[str]] = {}
    current = "_preamble"
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"FROM\s+\S+(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
        if match:
            current = match.group(1) or f"stage{len(result)}"
        result.setdefault(current, []).append(line)
    return result


def final_stage() -> list[str]:
    return list(stages().values())[-1]


def instructions(stage: list[str], keyword: str) -> list[str]:
    return [line for line in stage if line.upper().startswith(keyword + " ")]


def test_it_is_multi_stage_on_a_base_image_given_as_a_build_argument() -> None:
    found = stages()
    assert len([name for name in found if name != "_preamble"]) >= 2
    assert any(line.startswith("ARG BASE_IMAGE=") for line in found["_preamble"])
    froms = [line for lines in found.values() for line in lines if line.upper().startswith("FROM ")]
    assert all("${BASE_IMAGE}" in line for line in froms)


def test_the_final_stage_runs_as_a_non_root_user() -> None:
    users = instructions(final_stage(), "USER")
    assert users, "the final stage sets no USER: the process would run as root"
    user = users[-1].split()[1].split(":")[0]
    assert user not in {"root", "0"}


def test_the_healthcheck_asks_the_process_for_health() -> None:
    checks = instructions(final_stage(), "HEALTHCHECK")
    assert len(checks) == 1
    assert "kcp.healthcheck" in checks[0]
    assert "/health" in (ROOT / "kcp" / "healthcheck.py").read_text()


def test_the_final_stage_has_no_dev_dependencies_compilers_or_package_caches() -> None:
    stage = " ".join(final_stage())
    forbidden_words = ("[dev]", "pytest", "mypy", "ruff", "gcc", "build-essential", "g++", "pip install", "-dev ")
    for forbidden in forbidden_words:
        assert forbidden not in stage, f"the final stage mentions {forbidden!r}"
    # apt-get only to add the shared libraries the PostgreSQL client tools link, leaving no package lists.
    for run in (line for line in instructions(final_stage(), "RUN") if "apt-get" in line):
        assert "--no-install-recommends" in run, run
        assert "rm -rf /var/lib/apt/lists/*" in run, run
    build_stage = " ".join(line for name, lines in stages().items() if name == "build" for line in lines)
    assert "[dev]" not in build_stage, "the image installs the dev extra"
    # The final stage copies the built virtualenv, the code and the PostgreSQL client tools, nothing
    # from the build context's tests or caches.
    copies = instructions(final_stage(), "COPY")
    assert copies
    assert all("--from=build" in line or "--from=pgclient" in line for line in copies)


def test_the_image_carries_postgresql_client_tools_on_its_path() -> None:
    """``kcp backup`` finds pg_dump/pg_restore on the PATH (kcp/backup/servers.py); they come pinned by hash."""
    pgclient = " ".join(stages()["pgclient"])
    assert "--require-hashes" in pgclient
    assert "cp /tmp/pg/bin/pg_dump /tmp/pg/bin/pg_restore /opt/pgclient/bin/" in pgclient
    path = next(line for line in instructions(final_stage(), "ENV") if "PATH=" in line)
    assert "/opt/pgclient/bin" in path
    assert any("pg_dump --version" in line for line in instructions(final_stage(), "RUN"))


def test_the_entry_point_is_the_kcp_console_script() -> None:
    entry = instructions(final_stage(), "ENTRYPOINT")
    assert entry == ['ENTRYPOINT ["kcp"]']
    assert 'kcp = "' in (ROOT / "pyproject.toml").read_text()


def test_the_build_context_is_an_allow_list() -> None:
    lines = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    assert lines[lines.index("*")] == "*", "the .dockerignore starts by ignoring everything"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert {".venv", ".kcp", "tests", ".git"}.isdisjoint(allowed)
    copied = {
        line.split()[1] for line in instructions(stages()["build"], "COPY") if not line.split()[1].startswith("--")
    }
    assert copied <= allowed | {"pyproject.toml", "README.md"}


def test_every_package_the_project_installs_is_copied_into_the_image() -> None:
    import tomllib  # noqa: PLC0415

    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {pattern.rstrip("*") for pattern in include}
    copied = {line.split()[1] for line in instructions(stages()["build"], "COPY")}
    missing = packages - copied
    assert not missing, f"the Dockerfile does not copy {sorted(missing)} (pyproject.toml installs them)"
