"""Secrets that must never reach a log line, and the scan that looks for them in log files.

What counts: anything shaped like an access token (a JWT), a refresh token or a partner API key,
whoever issued it; and the literal secrets a run knows — the demo password, each process's
``KCP_IDENTITY_SECRET`` and store passwords, the API keys of the demo data.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from demo import people

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

SHAPES = {
    "access token (JWT)": re.compile(r"eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}"),
    "partner API key": re.compile(r"kcp_[0-9a-z]{8}_[\w-]{16,}"),
}
SECRET_VARIABLES = ("KCP_IDENTITY_SECRET", "NEO4J_PASSWORD", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "PINECONE_API_KEY")
URL_VARIABLES = ("DATABASE_URL", "MONGODB_URI", "REDIS_URL")
SHORTEST_SECRET = 8  # shorter values (an empty password, "neo4j") would match ordinary words


def known_secrets(environments: Iterable[Mapping[str, str]], demo_password: str) -> set[str]:
    """The literal secrets of a run: from each process's environment, plus the demo's."""
    found = {demo_password, people.DEMO_API_KEY, people.DEMO_API_KEY.rsplit("_", 1)[-1]}
    for environment in environments:
        found.update(environment[name] for name in SECRET_VARIABLES if environment.get(name))
        for name in URL_VARIABLES:
            password = urlsplit(environment.get(name, "")).password
            if password:
                found.add(password)
    return {secret for secret in found if len(secret) >= SHORTEST_SECRET}


def leaks(log_files: Iterable[Path], secrets: set[str], extra: Iterable[str] = ()) -> list[str]:
    """``file:line: what`` for every log line holding a secret or something shaped like one."""
    literal = secrets | {value for value in extra if len(value) >= SHORTEST_SECRET}
    found = []
    for path in log_files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            what = [name for name, shape in SHAPES.items() if shape.search(line)]
            what += ["a known secret" for secret in literal if secret in line][:1]
            if what:
                found.append(f"{path}:{number}: {', '.join(what)}: {line[:160]}")
    return found
