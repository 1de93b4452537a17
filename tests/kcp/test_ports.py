"""Ports for test servers come from below the kernel's ephemeral range, so outgoing connections
(to a database, to another subgraph) cannot take them between the choice and the bind."""

from __future__ import annotations

import socket
from pathlib import Path

from kcp.ports import free_port


def ephemeral_start() -> int:
    return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text(encoding="ascii").split()[0])


def test_a_free_port_is_below_the_ephemeral_range_and_can_be_bound() -> None:
    port = free_port()
    assert port < ephemeral_start()
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))
        server.listen()


def test_a_port_someone_listens_on_is_never_chosen() -> None:
    taken = []
    try:
        for _ in range(50):
            listener = socket.socket()
            listener.bind(("127.0.0.1", free_port()))
            listener.listen()
            taken.append(listener)
        ports = {listener.getsockname()[1] for listener in taken}
        assert len(ports) == len(taken)
    finally:
        for listener in taken:
            listener.close()
