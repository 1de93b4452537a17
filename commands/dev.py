"""``kcp dev``: seed, then run every subgraph and the router until Ctrl-C."""

from __future__ import annotations

import signal
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


def _start_web(platform: Platform, host: str, log_dir: Path) -> str:
    """The web app beside the API when Node.js is here; the line ``kcp dev`` prints about it."""
    from commands.web_app import WebAppUnavailableError, start_web_app  # noqa: PLC0415

    try:
        web = start_web_app(platform.router_url, host, log_dir)
    except WebAppUnavailableError as error:
        return f"  Web app:   not started ({error})\n"
    platform.processes["web"] = web
    return f"  Web app:   {web.base_url(host)}/\n"


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
    print(
        "\nSoundcore KCP is up.\n"
        + web_line
        + f"  GraphiQL:  {platform.router_url}\n"
        + "".join(f"  {name:<10} {platform.url(name)}/graphql\n" for name in SUBGRAPHS)
        + "  Demo logins: admin@, editor@, agent@, analyst@, partner@, customer@soundcore.example"
        " (password soundcore-demo)\n"
        "Press Ctrl-C to stop everything."
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
        if "web" in platform.processes:
            platform.processes["web"].stop()
        platform.stop()
    return 0


def register(commands: Subcommands) -> None:
    dev = commands.add_parser("dev", help="seed, then run every subgraph and the router until Ctrl-C")
    dev.add_argument("--no-seed", action="store_true", help="skip seeding")
    dev.add_argument("--no-web", action="store_true", help="do not build and start the web app (web/)")
    dev.set_defaults(handler=_command_dev)
