"""Starts the five subgraphs and the router as child processes and stops them together.

Used by ``kcp dev`` and by the end-to-end tests, so both run the platform the same way:
real processes, real ports, real HTTP.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

import httpx

from commands.subgraphs import SUBGRAPHS
from kcp.ports import free_port
from kcp.settings import ROUTER_PORT, SUBGRAPH_PORTS

if TYPE_CHECKING:
    from collections.abc import Mapping

SERVICE_URL_VARIABLES = {name: f"{name.upper()}_SERVICE_URL" for name in SUBGRAPHS}


class LaunchError(RuntimeError):
    """A process of the platform did not come up; the message names it and says why."""


class PortInUseError(LaunchError):
    """A process could not bind its port: someone else took it between choice and bind."""


@dataclass
class ManagedProcess:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path | None
    # How it was started, so it can be started again the same way (``Platform.restart``).
    arguments: list[str] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)

    def base_url(self, host: str) -> str:
        return f"http://{host}:{self.port}"

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL if the process has not ended within ``timeout`` seconds."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def kill(self) -> None:
        """End the process at once, as a crash would."""
        self.process.kill()
        self.process.wait(10)


@dataclass
class Platform:
    """The running processes, by name (the subgraphs' names and ``router``)."""

    host: str
    processes: dict[str, ManagedProcess] = field(default_factory=dict)

    @property
    def router_url(self) -> str:
        return self.processes["router"].base_url(self.host) + "/graphql"

    def url(self, name: str) -> str:
        return self.processes[name].base_url(self.host)

    def stop(self) -> None:
        # The router first, so it never reports subgraphs that are merely shutting down.
        for name in ["router", *reversed(SUBGRAPHS)]:
            if name in self.processes:
                self.processes[name].stop()

    def restart(self, name: str, timeout: float = 90.0) -> None:
        """Start ``name`` again as it was started (after it died or was killed), and wait until ready."""
        old = self.processes[name]
        old.stop()
        log_dir = old.log_path.parent if old.log_path is not None else None
        self.processes[name] = _spawn(name, old.arguments, old.port, old.environment, log_dir)
        _wait_ready(self, name, time.monotonic() + timeout)

    def exited(self) -> list[tuple[str, int]]:
        """The processes that have ended, with their exit codes."""
        return [(n, p.process.returncode) for n, p in self.processes.items() if p.process.poll() is not None]


def _spawn(
    name: str, arguments: list[str], port: int, environment: Mapping[str, str], log_dir: Path | None
) -> ManagedProcess:
    output: IO[bytes] | None = None
    log_path = None
    if log_dir is not None:
        log_path = log_dir / f"{name}.log"
        output = log_path.open("ab")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
        [sys.executable, "-m", "commands", *arguments],
        env=dict(environment),
        stdout=output,
        stderr=subprocess.STDOUT if output is not None else None,
    )
    return ManagedProcess(name, port, process, log_path, list(arguments), dict(environment))


def _last_error_line(log_path: Path | None) -> str:
    """The log's last line that looks like an error: usually the one that says why a process died."""
    if log_path is None or not log_path.is_file():
        return ""
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-50:]
    errors = [line.strip() for line in lines if "error" in line.lower() or "exception" in line.lower()]
    return f": {errors[-1]}" if errors else ""


def _wait_ready(platform: Platform, name: str, deadline: float) -> None:
    managed = platform.processes[name]
    url = managed.base_url(platform.host) + "/ready"
    last_problem = "no answer yet"
    while time.monotonic() < deadline:
        if managed.process.poll() is not None:
            where = f" (full log: {managed.log_path})" if managed.log_path else ""
            why = _last_error_line(managed.log_path)
            msg = f"{name} exited with code {managed.process.returncode} while starting{why}{where}"
            raise (PortInUseError if "address already in use" in why else LaunchError)(msg)
        try:
            response = httpx.get(url, timeout=2.0)
            if response.status_code == httpx.codes.OK:
                return
            last_problem = f"/ready answered {response.status_code}: {response.text[:200]}"
        except httpx.HTTPError as error:
            last_problem = f"{type(error).__name__}"
        time.sleep(0.2)
    where = f"; see {managed.log_path}" if managed.log_path else ""
    msg = f"{name} was not ready on port {managed.port} in time ({last_problem}){where}"
    raise LaunchError(msg)


def start_platform(  # noqa: PLR0913 - keyword-only knobs, each with a default
    *,
    host: str = "127.0.0.1",
    ports: Mapping[str, int] | None = None,
    environment: Mapping[str, str] | None = None,
    log_dir: Path | None = None,
    supergraph_out: Path | None = None,
    timeout: float = 90.0,
    router_routes: Mapping[str, str] | None = None,
) -> Platform:
    """Start every subgraph, wait until each is ready, then start the router and wait for it.

    ``ports`` maps a process name (a subgraph or ``router``) to its port; defaults are the
    deployment guide's. ``router_routes`` gives the router another URL for a subgraph (a proxy in
    front of it, as the fault campaign puts there). On any failure everything already started is
    stopped again.
    """
    chosen = {**SUBGRAPH_PORTS, "router": ROUTER_PORT, **(ports or {})}
    env = {**os.environ, **(environment or {})}
    for name in SUBGRAPHS:
        env[SERVICE_URL_VARIABLES[name]] = f"http://{host}:{chosen[name]}/graphql"
    env["KCP_HOST"] = host
    env["KCP_ROUTER_PORT"] = str(chosen["router"])
    # Services sign the identities they pass each other (router to subgraph, service events to
    # analytics); without a configured secret, this platform run gets a fresh one of its own.
    env.setdefault("KCP_IDENTITY_SECRET", secrets.token_urlsafe(32))
    platform = Platform(host)
    deadline = time.monotonic() + timeout
    try:
        for name in SUBGRAPHS:
            arguments = ["serve", name, "--port", str(chosen[name])]
            platform.processes[name] = _spawn(name, arguments, chosen[name], env, log_dir)
        for name in SUBGRAPHS:
            _wait_ready(platform, name, deadline)
        # Only the deployment guide's ports may write the committed schema/supergraph.graphql;
        # a platform on other ports writes its supergraph beside its logs instead.
        if supergraph_out is None:
            supergraph_out = (log_dir or Path(tempfile.gettempdir())) / f"supergraph-{chosen['router']}.graphql"
        router_arguments = ["router", "--write-supergraph", str(supergraph_out)]
        router_env = {**env, **{SERVICE_URL_VARIABLES[name]: url for name, url in (router_routes or {}).items()}}
        platform.processes["router"] = _spawn("router", router_arguments, chosen["router"], router_env, log_dir)
        _wait_ready(platform, "router", deadline)
    except BaseException:
        platform.stop()
        raise
    return platform


_PORT_ATTEMPTS = 3


def start_platform_on_free_ports(
    *,
    environment: Mapping[str, str] | None = None,
    log_dir: Path,
    timeout: float = 90.0,
    ports: Mapping[str, int] | None = None,
    router_routes: Mapping[str, str] | None = None,
) -> Platform:
    """Start the platform on free loopback ports, choosing again if one was taken meanwhile.

    For tests and benchmarks that run beside other servers; the supergraph goes beside the logs.
    """
    for attempt in range(1, _PORT_ATTEMPTS + 1):
        chosen = {**{name: free_port() for name in (*SUBGRAPHS, "router")}, **(ports or {})}
        try:
            return start_platform(
                ports=chosen,
                router_routes=router_routes,
                environment=environment,
                log_dir=log_dir,
                supergraph_out=log_dir / "supergraph.graphql",
                timeout=timeout,
            )
        except PortInUseError:
            if attempt == _PORT_ATTEMPTS:
                raise
    raise AssertionError  # unreachable: the last attempt returns or raises
