"""The whole platform on free loopback ports, for one test module (the ``platform`` fixture) or
for a module that needs it configured its own way."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from commands.launcher import start_platform_on_free_ports

if TYPE_CHECKING:
    from pathlib import Path

    from commands.launcher import Platform


# Every platform the suite started, so the session can scan all their logs for secrets at the end.
LAUNCHED: list[Platform] = []


def launch(data_dir: Path, log_dir: Path, environment: dict[str, str] | None = None) -> Platform:
    shared = os.environ.get("REDIS_URL")
    if os.environ.get("KCP_TEST_E2E_ON_REAL_STORES") == "1" and shared:
        # Embedded, each platform's router starts with empty caches; on Redis they would outlive
        # it, and a module would be answered from another's cached responses and persisted queries.
        from redis import Redis  # noqa: PLC0415 - only this mode needs the driver

        with Redis.from_url(shared) as redis:
            redis.flushdb()
    platform = start_platform_on_free_ports(
        environment={"KCP_DATA_DIR": str(data_dir), **(environment or {})}, log_dir=log_dir
    )
    LAUNCHED.append(platform)
    return platform
