"""``python -m kcp.healthcheck [URL]``: the container's health check, exit 0 when ``/health`` answers.

One image runs every process, so the check finds the port from the command line of the container's
main process (``kcp router`` → ``KCP_ROUTER_PORT``, ``kcp serve NAME`` → that subgraph's guide port,
``--port N`` wins). A URL given as the argument is checked instead. Standard library only: it runs
every few seconds and must start fast.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from kcp.settings import ROUTER_PORT, SUBGRAPH_PORTS

if TYPE_CHECKING:
    from collections.abc import Sequence

TIMEOUT_SECONDS = 3.0


def port_of(command: Sequence[str], environ: dict[str, str] | None = None) -> int | None:
    """The port the KCP process started with ``command`` listens on, or None if it is not one."""
    environ = dict(os.environ) if environ is None else environ
    arguments = list(command)
    for index, argument in enumerate(arguments):
        if argument == "--port" and index + 1 < len(arguments):
            return int(arguments[index + 1])
        if argument.startswith("--port="):
            return int(argument.partition("=")[2])
    for index, argument in enumerate(arguments):
        if argument == "router":
            return int(environ.get("KCP_ROUTER_PORT", ROUTER_PORT))
        if argument == "serve" and index + 1 < len(arguments):
            return SUBGRAPH_PORTS.get(arguments[index + 1])
    return None


def main_process_command(proc: Path = Path("/proc/1/cmdline")) -> list[str]:
    """The container's main process's arguments (empty when they cannot be read)."""
    try:
        return [part for part in proc.read_bytes().decode(errors="replace").split("\0") if part]
    except OSError:
        return []


def check(url: str) -> str | None:
    """None when ``url`` answers 200, else one line saying what failed."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - our own loopback URL
            if response.status == 200:  # noqa: PLR2004 - HTTP OK
                return None
            return f"{url} answered HTTP {response.status}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return f"{url} did not answer: {error}"


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments:
        url = arguments[0]
    else:
        command = main_process_command()
        port = port_of(command)
        if port is None:
            print(f"healthcheck: not a KCP process ({' '.join(command) or 'unknown command'}); pass the URL to check")
            return 1
        url = f"http://127.0.0.1:{port}/health"
    problem = check(url)
    if problem:
        print(f"healthcheck: {problem}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
