"""The four real store servers of the fault campaign, and how each is taken away and given back.

Two ways, one interface (``StoreControl.take_down`` / ``bring_back``):

- ``servers`` (``make faults``): the campaign's own servers, started by ``scripts/services`` in a
  services folder of their own (``--services-dir``, ports ``--ports``), and really stopped and
  started again (``scripts/services down NAME`` / ``up NAME``). Never the shared default folder.
- ``relays`` (the short form in the real-server CI tier, which must not stop servers others may
  use): the configured servers (``DATABASE_URL`` …) behind a loopback relay each, and the relay
  cut (every connection dropped, new ones refused) and reopened: the same for the processes.

Either way the platform gets a PostgreSQL database and a MongoDB database of its own (dropped at
the end) and Redis database 3 (flushed); Neo4j has one database, into which seeding merges the demo
graph again, and the links the campaign adds are removed at the end.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.faults.relays import Relay

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "scripts" / "services"
SHARED_SERVICES_DIR = Path("/tmp/kcp-services")  # noqa: S108 - scripts/services' default: other people's servers
STORE_NAMES = {"postgres": "PostgreSQL", "redis": "Redis", "mongo": "FerretDB", "neo4j": "Neo4j"}
PORT_VARIABLES = {
    "postgres": "KCP_POSTGRES_PORT",
    "redis": "KCP_REDIS_PORT",
    "mongo": "KCP_MONGO_PORT",
    "neo4j": "KCP_NEO4J_PORT",
}
URL_VARIABLES = {"postgres": "DATABASE_URL", "redis": "REDIS_URL", "mongo": "MONGODB_URI", "neo4j": "NEO4J_URI"}
REDIS_DATABASE = 3


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 0


def _parse_exports(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        if line.startswith("export ") and "=" in line:
            key, value = line.removeprefix("export ").split("=", 1)
            found[key] = value.strip("'\"")
    return found


@dataclass
class StoreControl:
    """Takes each store away and gives it back; ``environment`` is what the platform's processes get."""

    mode: str
    base: dict[str, str]  # the servers' own URLs and the Neo4j credentials
    services_env: dict[str, str] = field(default_factory=dict)
    relays: dict[str, Relay] = field(default_factory=dict)
    database: str = field(default_factory=lambda: f"kcp_faults_{uuid.uuid4().hex[:10]}")

    @classmethod
    def own_servers(cls, services_dir: Path, ports: dict[str, int]) -> StoreControl:
        if services_dir.resolve() == SHARED_SERVICES_DIR:
            msg = f"{services_dir} holds the shared servers; the campaign stops servers: give it a folder of its own"
            raise SystemExit(msg)
        services_env = {
            **os.environ,
            "KCP_SERVICES_DIR": str(services_dir),
            **{PORT_VARIABLES[name]: str(port) for name, port in ports.items()},
        }
        up = subprocess.run([str(SERVICES), "up"], env=services_env, capture_output=True, text=True, check=False)
        if up.returncode != 0:
            raise SystemExit(f"faults: the campaign's store servers did not start:\n{up.stderr}")
        return cls("servers", _parse_exports(up.stdout), services_env)

    @classmethod
    def relayed(cls) -> StoreControl:
        """The configured servers: ``KCP_TEST_*`` (as ``make test`` has them), else the plain names."""

        def setting(name: str) -> str:
            return os.environ.get(f"KCP_TEST_{name}") or os.environ.get(name) or ""

        missing = [variable for variable in URL_VARIABLES.values() if not setting(variable)]
        if missing:
            raise SystemExit(f'faults --stores relays: set {", ".join(missing)} (eval "$(scripts/services env)")')
        base = {variable: setting(variable) for variable in URL_VARIABLES.values()}
        base["NEO4J_USER"] = setting("NEO4J_USER") or "neo4j"
        base["NEO4J_PASSWORD"] = setting("NEO4J_PASSWORD")
        control = cls("relays", base)
        for name, variable in URL_VARIABLES.items():
            relay = Relay(_host_port(base[variable]))
            relay.open()
            control.relays[name] = relay
        return control

    def _url(self, name: str) -> str:
        url = self.base[URL_VARIABLES[name]]
        return self.relays[name].url_for(url) if name in self.relays else url

    def environment(self) -> dict[str, str]:
        """The platform's store settings: its own databases, through the relays when there are any."""
        postgres = urlsplit(self._url("postgres"))
        mongo = urlsplit(self._url("mongo"))
        redis = self._url("redis").rsplit("/", 1)[0] + f"/{REDIS_DATABASE}"
        return {
            "DATABASE_URL": urlunsplit(postgres._replace(path=f"/{self.database}")),
            "MONGODB_URI": urlunsplit(mongo._replace(path=f"/{self.database}")),
            "NEO4J_URI": self._url("neo4j"),
            "NEO4J_USER": self.base.get("NEO4J_USER", "neo4j"),
            "NEO4J_PASSWORD": self.base.get("NEO4J_PASSWORD", ""),
            "REDIS_URL": redis,
        }

    def prepare(self) -> None:
        """A PostgreSQL database of the campaign's own, and its Redis database emptied."""
        from redis import Redis  # noqa: PLC0415 - only the campaign needs the drivers

        _on_postgres(self._admin_url(), f'CREATE DATABASE "{self.database}"')
        with Redis.from_url(self.base["REDIS_URL"].rsplit("/", 1)[0] + f"/{REDIS_DATABASE}") as redis:
            redis.flushdb()

    def cleanup(self) -> None:
        from pymongo import MongoClient  # noqa: PLC0415

        for relay in self.relays.values():
            relay.cut()
        _on_postgres(self._admin_url(), f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        client: MongoClient[dict[str, object]]
        with MongoClient(self.base["MONGODB_URI"], serverSelectionTimeoutMS=10_000) as client:
            client.drop_database(self.database)

    def _admin_url(self) -> str:
        from sqlalchemy.engine import make_url  # noqa: PLC0415

        url = make_url(self.base["DATABASE_URL"]).set(drivername="postgresql", database="postgres")
        return url.render_as_string(hide_password=False)

    def take_down(self, name: str) -> None:
        if self.mode == "relays":
            self.relays[name].cut()
            return
        self._services("down", name)

    def bring_back(self, name: str) -> float:
        """Give the store back; seconds until its server answers again."""
        started = time.monotonic()
        if self.mode == "relays":
            self.relays[name].open()
        else:
            self._services("up", name)
        return time.monotonic() - started

    def _services(self, action: str, name: str) -> None:
        done = subprocess.run(
            [str(SERVICES), action, name], env=self.services_env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"faults: scripts/services {action} {name} failed:\n{done.stderr}")


def _on_postgres(url: str, statement: str) -> None:
    import asyncpg  # noqa: PLC0415

    async def run() -> None:
        connection = await asyncpg.connect(url, timeout=10)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())
