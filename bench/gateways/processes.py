"""The processes a benchmark run starts: each pinned to a CPU, measured from /proc, stopped by pid."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
READY_SECONDS = 60.0


def cpus() -> tuple[int, int]:
    """(gateway CPU, load CPU): the first and the last CPU this process may use."""
    allowed = sorted(os.sched_getaffinity(0))
    return allowed[0], allowed[-1]


@dataclass
class Service:
    """A started process, pinned with taskset; its log goes to ``log``."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def start(  # noqa: PLR0913 - what a process needs: command, CPU, log, folder, environment
        cls,
        name: str,
        command: Sequence[str],
        *,
        cpu: int,
        log: Path,
        cwd: Path | None = None,
        environment: Mapping[str, str] | None = None,
    ) -> Service:
        with log.open("wb") as output:
            process = subprocess.Popen(
                ["taskset", "-c", str(cpu), *command],  # noqa: S607 - taskset from util-linux, on PATH
                cwd=cwd,
                env={**os.environ, **(environment or {})},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return cls(name, process, log)

    def wait_until_answering(self, url: str, body: bytes | None = None) -> None:
        """Until ``url`` answers 200 (a POST of ``body`` when given); fails if the process dies."""
        deadline = time.monotonic() + READY_SECONDS
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited ({self.process.returncode}):\n{self.log_tail()}")
            request = urllib.request.Request(url, data=body, headers={"content-type": "application/json"})  # noqa: S310 - our own loopback URL
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    if response.status == 200:  # noqa: PLR2004
                        return
            except urllib.error.HTTPError as error:
                last = f"HTTP {error.code}: {error.read()[:500].decode(errors='replace')}"
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                last = str(error)
            time.sleep(0.2)
        msg = f"{self.name} did not answer {url} within {READY_SECONDS:g} s; last: {last}\n{self.log_tail()}"
        raise SystemExit(msg)

    def log_tail(self, lines: int = 20) -> str:
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process and all its threads (and children it waited for)."""
        fields = _stat_fields(self.process.pid)
        utime, stime, cutime, cstime = (int(fields[i]) for i in (13, 14, 15, 16))
        return (utime + stime + cutime + cstime) / CLOCK_TICKS

    def rss_mib(self) -> float:
        resident_pages = int(Path(f"/proc/{self.process.pid}/statm").read_text(encoding="ascii").split()[1])
        return resident_pages * PAGE_KIB / 1024

    def stop(self) -> None:
        """SIGTERM to the process group we started (this process and any workers it forked)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _stat_fields(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    # The command name (field 2) may hold spaces: split after its closing parenthesis.
    return [str(pid), "comm", *text[text.rindex(")") + 2 :].split()]
