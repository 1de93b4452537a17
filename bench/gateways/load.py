"""The load generator: wrk (Debian's package), pinned to the load CPU, POSTing one fixed body or
a new document every request.

wrk because it is the public benchmark's tool and the issue's: an event-loop C client that keeps
its own cost low and steady (one thread here, on the CPU the gateway does not use), with
latency percentiles from its HDR histogram. ``post.lua`` sets one body; ``cycle.lua`` cycles
through the variants of ``variants.py`` with a request counter in their names. Both print one
JSON line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("post.lua")
CYCLE_SCRIPT = Path(__file__).with_name("cycle.lua")


@dataclass(frozen=True, slots=True)
class Load:
    requests: int
    seconds: float
    failed: int  # non-2xx answers and socket errors (timeouts included)
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (Debian), then run the bench again")
    return wrk


def run_wrk(  # noqa: PLR0913 - the load's settings
    url: str, body_file: Path, *, cpu: int, connections: int, seconds: float, first: int | None = None
) -> Load:
    """wrk against ``url``: ``body_file`` POSTed as it is, or with ``first``, its lines as variants
    (``cycle.lua``) numbered from ``first``."""
    script = SCRIPT if first is None else CYCLE_SCRIPT
    command = [
        "taskset", "-c", str(cpu), require_wrk(),
        "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
        "-s", str(script), url, "--", str(body_file), *(() if first is None else (str(first),)),
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next((text for text in output.splitlines() if text.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{output}")
    result = json.loads(line.removeprefix("RESULT "))
    return Load(
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        failed=result["non_2xx"] + result["socket_errors"],
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
    )
