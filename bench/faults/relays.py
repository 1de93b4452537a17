"""Loopback relays the fault campaign puts between processes: one that can be cut (a store gone,
every open connection dropped, new ones refused) and one that can answer garbage (a subgraph whose
answers are not GraphQL: an HTML error page with a 200, as a broken proxy sends).

Threads, not asyncio: they must keep relaying while the campaign's event loop is busy with load.
"""

from __future__ import annotations

import contextlib
import socket
import threading

from kcp.ports import free_port

GARBAGE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 43\r\nconnection: close\r\n\r\n"
    b"<html><body>502 Bad Gateway</body></html>\r\n"
)


class Relay:
    """Forwards ``127.0.0.1:port`` to ``target`` while open; refuses connections while cut;
    answers every request with ``GARBAGE`` while garbling."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.garbling = False
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    def url_for(self, url: str) -> str:
        """``url`` with its host and port replaced by the relay's."""
        host, port = self.target
        return url.replace(f"{host}:{port}", f"127.0.0.1:{self.port}", 1)

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """As a crashed server: open connections drop, new ones are refused."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        self._drop_connections()

    def garble(self, *, on: bool) -> None:
        self.garbling = on
        self._drop_connections()  # kept-alive connections would otherwise still reach the real server

    def _drop_connections(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.garbling:
                threading.Thread(target=self._garbage, args=(client,), daemon=True).start()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._connections += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _garbage(client: socket.socket) -> None:
        with contextlib.suppress(OSError):
            client.settimeout(5)
            client.recv(65536)
            client.sendall(GARBAGE)
        client.close()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
