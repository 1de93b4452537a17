"""The web app (``web/``, Next.js) for ``kcp dev``: built against the running router, then served
by ``next start`` on :3000. Without Node.js and npm it says so and the API runs alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx

from commands.launcher import ManagedProcess

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
WEB_PORT = 3000
_INSTALLED = WEB_DIR / "node_modules" / ".installed"


class WebAppUnavailableError(RuntimeError):
    """The web app cannot run here; the message says why and what to do."""


def _run(arguments: list[str], log: Path, environment: dict[str, str]) -> None:
    with log.open("ab") as output:
        done = subprocess.run(  # noqa: S603 - npm and next, no shell
            arguments, cwd=WEB_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT, check=False
        )
    if done.returncode != 0:
        msg = f"`{' '.join(arguments[:2])} …` failed (exit {done.returncode}); see {log}"
        raise WebAppUnavailableError(msg)


def start_web_app(
    router_url: str, host: str, log_dir: Path, *, port: int = WEB_PORT, timeout: float = 120.0
) -> ManagedProcess:
    """Install (once), build and start the app; raises ``WebAppUnavailableError`` saying why not."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        msg = "Node.js with npm was not found: the web app (web/) is not started, the API runs alone"
        raise WebAppUnavailableError(msg)
    log = log_dir / "web.log"
    environment = {**os.environ, "KCP_ROUTER_URL": router_url, "NEXT_TELEMETRY_DISABLED": "1"}
    if not _INSTALLED.is_file():
        print("Installing the web app's packages (npm ci, once) ...", flush=True)
        _run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], log, environment)
        _INSTALLED.touch()
    next_bin = str(WEB_DIR / "node_modules" / ".bin" / "next")
    print("Building the web app against the router (next build, a minute or two) ...", flush=True)
    _run([next_bin, "build"], log, environment)
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 - the app's own next binary, no shell
            [next_bin, "start", "-p", str(port), "-H", host],
            cwd=WEB_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    managed = ManagedProcess("web", port, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"next start exited with code {process.returncode}; see {log}"
            raise WebAppUnavailableError(msg)
        try:
            if httpx.get(f"{managed.base_url(host)}/signin", timeout=5).status_code == 200:  # noqa: PLR2004
                return managed
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    managed.stop()
    msg = f"the web app did not answer on port {port} in {timeout:.0f} s; see {log}"
    raise WebAppUnavailableError(msg)
