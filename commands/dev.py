"""``kcp dev``: seed, then run every subgraph and the router until Ctrl-C, indexing meanwhile.

The retrieval index (``kcp index``: passages embedded for hybrid search and ``ask``) takes minutes
on a first run (~210-300 s for the demo's 2,255 passages on this 2-core machine), so it is built
in the background once the platform is up, at a lower CPU priority than the services. Until it
finishes, hybrid and semantic search and ``ask`` answer from keywords and say so in
``extensions.retrieval.degraded``; the running knowledge service picks the vectors up by itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from commands.seed import SEED_ORDER, run_seed
from commands.subgraphs import SUBGRAPHS
from kcp.settings import SUPERGRAPH_FILE, get_settings

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from commands.launcher import Platform
    from commands.registration import Subcommands

INDEXING_NICENESS = 10  # below the services: a search answered now matters more than the index's finish


class BackgroundIndex:
    """``kcp index`` running beside the platform, its output in ``log_path``; says once how it ended."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        with log_path.open("ab") as output:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-m", "commands", "index"], stdout=output, stderr=subprocess.STDOUT
            )
        # Not permitted everywhere: then it runs at the services' priority, only slower for them.
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self._process.pid, INDEXING_NICENESS)
        print(
            f"Building the retrieval index in the background (progress in {log_path}; minutes the first time). "
            "Until it is ready, hybrid search and ask answer from keywords only and say so in "
            "extensions.retrieval.degraded (KEYWORD_ONLY:NOT_INDEXED)."
        )

    def check(self) -> None:
        """Say how indexing ended, once it has."""
        if self._process is None or self._process.poll() is None:
            return
        code, self._process = self._process.returncode, None
        if code == 0:
            print("Retrieval index ready: hybrid search, suggestions and ask use vectors now.")
            return
        print(
            f"kcp dev: `kcp index` exited with code {code} (see {self.log_path}); search and ask keep answering "
            "from keywords (extensions.retrieval.degraded). Run `python -m commands index` to retry.",
            file=sys.stderr,
        )

    def stop(self) -> None:
        """End indexing if it still runs (``kcp index`` is idempotent: the next start goes on from here)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(10)


def _welcome(platform: Platform, web_line: str) -> None:
    print(
        "\nSoundcore KCP is up.\n"
        + web_line
        + f"  GraphiQL:  {platform.router_url}\n"
        + "".join(f"  {name:<10} {platform.url(name)}/graphql\n" for name in SUBGRAPHS)
        + "  Demo logins: admin@, editor@, agent@, analyst@, partner@, customer@soundcore.example"
        " (password soundcore-demo)\n"
        "Press Ctrl-C to stop everything."
    )


def _start_web(platform: Platform, host: str, log_dir: Path) -> str:
    """The web app beside the API when Node.js is here; the line ``kcp dev`` prints about it."""
    from commands.web_app import WebAppUnavailableError, start_web_app  # noqa: PLC0415

    try:
        web = start_web_app(platform.router_url, host, log_dir)
    except WebAppUnavailableError as error:
        return f"  Web app:   not started ({error})\n"
    platform.processes["web"] = web
    return f"  Web app:   {web.base_url(host)}/\n"


def _stop(platform: Platform, indexer: BackgroundIndex | None) -> None:
    if indexer is not None:
        indexer.stop()
    if "web" in platform.processes:
        platform.processes["web"].stop()
    platform.stop()


def _command_dev(arguments: argparse.Namespace) -> int:
    from commands.launcher import LaunchError, start_platform  # noqa: PLC0415

    settings = get_settings()
    if not arguments.no_seed and (failed := run_seed(settings, SEED_ORDER)):
        return failed
    log_dir = settings.kcp_data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    print(f"Starting the five subgraphs and the router (logs in {log_dir}) ...")
    try:
        platform = start_platform(host=settings.kcp_host, log_dir=log_dir, supergraph_out=SUPERGRAPH_FILE)
    except LaunchError as error:
        print(f"kcp dev: {error}", file=sys.stderr)
        return 1
    web_line = "" if arguments.no_web else _start_web(platform, settings.kcp_host, log_dir)
    _welcome(platform, web_line)
    indexer = None if arguments.no_index else BackgroundIndex(log_dir / "index.log")
    if not (settings.kcp_production or settings.kcp_subgraph_require_router_signature):
        print(
            "Subgraphs also answer direct requests here, for development "
            "(KCP_SUBGRAPH_REQUIRE_ROUTER_SIGNATURE=true: only the router's signed requests)."
        )
    stopping = False

    def request_stop(_signal: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    # A process that dies is reported once and the others keep running: the router answers
    # without a missing subgraph (partial data and an error naming it), which is worth seeing.
    reported: set[str] = set()
    try:
        while not stopping:
            if indexer is not None:
                indexer.check()
            for name, code in platform.exited():
                if name not in reported:
                    reported.add(name)
                    log = log_dir / f"{name}.log"
                    print(
                        f"kcp dev: {name} exited with code {code} (see {log}); the others keep running", file=sys.stderr
                    )
            if len(reported) == len(platform.processes):
                print("kcp dev: every process has exited", file=sys.stderr)
                return 1
            time.sleep(0.5)
    finally:
        print("\nStopping ...")
        _stop(platform, indexer)
    return 0


def register(commands: Subcommands) -> None:
    dev = commands.add_parser(
        "dev", help="seed, then run every subgraph and the router until Ctrl-C, indexing meanwhile"
    )
    dev.add_argument("--no-seed", action="store_true", help="skip seeding")
    dev.add_argument("--no-web", action="store_true", help="do not build and start the web app (web/)")
    dev.add_argument("--no-index", action="store_true", help="do not build the retrieval index in the background")
    dev.set_defaults(handler=_command_dev)
