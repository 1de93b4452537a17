"""``kcp serve SUBGRAPH`` and ``kcp router``: run one process of the platform in the foreground."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from commands.subgraphs import SUBGRAPHS, load
from kcp.settings import SUBGRAPH_PORTS, get_settings

if TYPE_CHECKING:
    import argparse

    from commands.registration import Subcommands


def _command_serve(arguments: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415

    from kcp.logging import configure_logging  # noqa: PLC0415

    settings = get_settings()
    configure_logging(arguments.subgraph, level=settings.kcp_log_level, json=settings.kcp_log_json)
    uvicorn.run(
        load(arguments.subgraph).create_app,
        factory=True,
        host=settings.kcp_host,
        port=arguments.port or SUBGRAPH_PORTS[arguments.subgraph],
        log_level="warning",
        access_log=False,
        log_config=None,  # uvicorn's loggers propagate to the root handler configure_logging set up
    )
    return 0


def _command_router(arguments: argparse.Namespace) -> int:
    from router.app import run  # noqa: PLC0415 - only the router process loads the router

    settings = get_settings()
    if arguments.port is not None:
        settings = settings.model_copy(update={"kcp_router_port": arguments.port})
    run(settings, supergraph_path=arguments.supergraph, supergraph_output=arguments.write_supergraph)
    return 0


def register(commands: Subcommands) -> None:
    serve = commands.add_parser("serve", help="serve one subgraph")
    serve.add_argument("subgraph", choices=SUBGRAPHS)
    serve.add_argument("--port", type=int, help="default: the deployment guide's port (8001-8005)")
    serve.set_defaults(handler=_command_serve)

    router = commands.add_parser("router", help="serve the federation router on KCP_ROUTER_PORT (4000)")
    router.add_argument("--supergraph", type=Path, help="load this supergraph SDL instead of composing one")
    router.add_argument("--write-supergraph", type=Path, help="where to write the composed supergraph SDL")
    router.add_argument("--port", type=int, help="default: KCP_ROUTER_PORT (4000)")
    router.set_defaults(handler=_command_router)
