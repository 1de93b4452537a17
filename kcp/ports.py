"""Free loopback ports for processes started by tests, benchmarks and ``kcp dev`` on other ports.

Asking the kernel for port 0 hands out a port from its ephemeral range, the same range it draws
from for every outgoing connection (to PostgreSQL, Neo4j, another subgraph...). Between closing
the probe and the server's own bind, such a connection can take the port, and the server dies
with "address already in use". Ports below the ephemeral range are never handed out that way,
so only another listener choosing at random could collide, and a bind check rules out the ones
already taken.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

_EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LOWEST = 20000
_DEFAULT_EPHEMERAL_START = 32768
_ATTEMPTS = 200


def _ephemeral_start() -> int:
    try:
        return int(_EPHEMERAL_RANGE.read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return _DEFAULT_EPHEMERAL_START


def _bindable(host: str, port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on, outside the kernel's range for outgoing connections."""
    top = _ephemeral_start() - 1
    chooser = random.SystemRandom()
    if top > _LOWEST:
        for _ in range(_ATTEMPTS):
            port = chooser.randint(_LOWEST, top)
            if _bindable(host, port):
                return port
    # A kernel configured without room below its ephemeral range: fall back to asking it.
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
