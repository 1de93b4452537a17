"""The embedded document store: each collection as JSON rows in one SQLite table.

Same semantics as the MongoDB implementation (``kcp.stores.documents_mongo``), checked by the
documents contract suite: equality filters where a list value means "any of", ``None`` matches a
missing or null field, sort/skip/limit, ``_id`` unique.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kcp.stores.documents import Document, DuplicateDocumentError
from kcp.stores.engines import sqlite_engine

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sqlalchemy.ext.asyncio import AsyncEngine

    from kcp.settings import Settings

_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _path(field: str) -> str:
    if not _FIELD.match(field):
        msg = f"invalid document field name: {field!r}"
        raise ValueError(msg)
    return f"$.{field}"


def _column(field: str) -> str:
    return "id" if field == "_id" else f"json_extract(body, '{_path(field)}')"


def _comparable(value: Any) -> Any:
    """A value as it reads back from JSON (tuples become lists, datetimes text), for comparisons."""
    return json.loads(json.dumps(value, default=str))


def _identifier(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


class SqliteDocumentStore:
    """Collections as JSON rows in one SQLite table, indexed per field on demand."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._created = False

    @classmethod
    def open(cls, settings: Settings, service: str) -> SqliteDocumentStore:
        path = settings.service_data_dir(service) / f"{service}-documents.sqlite3"
        return cls(sqlite_engine(path, settings.pool_size))

    async def _ensure_table(self) -> None:
        if self._created:
            return
        async with self._engine.begin() as connection:
            await connection.execute(
                text(
                    "CREATE TABLE IF NOT EXISTS documents ("
                    " collection TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,"
                    " PRIMARY KEY (collection, id))"
                )
            )
        self._created = True

    async def ensure_index(self, collection: str, field: str, *then: str) -> None:
        await self._ensure_table()
        fields = (field, *then)
        name = "_".join(["ix", _identifier(collection), *(_identifier(f) for f in fields)])
        columns = ", ".join(f"json_extract(body, '{_path(f)}')" for f in fields)
        async with self._engine.begin() as connection:
            await connection.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON documents (collection, {columns})"))

    async def insert(self, collection: str, document: Mapping[str, Any]) -> None:
        await self._ensure_table()
        async with self._engine.begin() as connection:
            exists = await connection.execute(
                text("SELECT 1 FROM documents WHERE collection = :c AND id = :i"),
                {"c": collection, "i": document["_id"]},
            )
            if exists.first() is not None:
                msg = f"{collection} already holds a document with _id {document['_id']!r}"
                raise DuplicateDocumentError(msg)
            try:
                await connection.execute(
                    text("INSERT INTO documents (collection, id, body) VALUES (:c, :i, :b)"),
                    {"c": collection, "i": str(document["_id"]), "b": json.dumps(document, default=str)},
                )
            except IntegrityError as error:
                # A concurrent writer inserted the same _id between the check above and this insert.
                msg = f"{collection} already holds a document with _id {document['_id']!r}"
                raise DuplicateDocumentError(msg) from error

    async def insert_many_missing(self, collection: str, documents: Sequence[Mapping[str, Any]]) -> int:
        """Insert the documents whose ``_id`` is new; return how many were inserted."""
        await self._ensure_table()
        if not documents:
            return 0
        async with self._engine.begin() as connection:
            result = await connection.execute(
                text("INSERT OR IGNORE INTO documents (collection, id, body) VALUES (:c, :i, :b)"),
                [{"c": collection, "i": str(d["_id"]), "b": json.dumps(d, default=str)} for d in documents],
            )
            return max(result.rowcount, 0)

    async def get(self, collection: str, document_id: str) -> Document | None:
        await self._ensure_table()
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(
                    text("SELECT body FROM documents WHERE collection = :c AND id = :i"),
                    {"c": collection, "i": document_id},
                )
            ).first()
        return None if row is None else dict(json.loads(row[0]))

    def _where(self, collection: str, where: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
        clauses = ["collection = :collection"]
        params: dict[str, Any] = {"collection": collection}
        for index, (field, value) in enumerate((where or {}).items()):
            column = _column(field)
            if isinstance(value, (list, tuple, set, frozenset)):
                names = [f"w{index}_{n}" for n in range(len(value))]
                if not names:
                    clauses.append("0")
                    continue
                clauses.append(f"{column} IN ({', '.join(':' + n for n in names)})")
                params.update(zip(names, value, strict=True))
            elif value is None:
                clauses.append(f"{column} IS NULL")
            else:
                clauses.append(f"{column} = :w{index}")
                params[f"w{index}"] = value
        return " AND ".join(clauses), params

    async def find(
        self,
        collection: str,
        where: Mapping[str, Any] | None = None,
        *,
        sort: Sequence[tuple[str, int]] = (),
        limit: int | None = None,
        skip: int = 0,
    ) -> list[Document]:
        await self._ensure_table()
        condition, params = self._where(collection, where)
        order = ", ".join(f"{_column(f)} {'DESC' if direction < 0 else 'ASC'}" for f, direction in sort)
        sql = f"SELECT body FROM documents WHERE {condition}"  # noqa: S608 - fields are validated identifiers, values bound
        if order:
            sql += f" ORDER BY {order}"
        if limit is not None or skip:
            sql += " LIMIT :limit OFFSET :skip"
            params.update(limit=-1 if limit is None else limit, skip=skip)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(text(sql), params)).all()
        return [dict(json.loads(row[0])) for row in rows]

    async def count(self, collection: str, where: Mapping[str, Any] | None = None) -> int:
        await self._ensure_table()
        condition, params = self._where(collection, where)
        async with self._engine.connect() as connection:
            result = await connection.execute(text(f"SELECT count(*) FROM documents WHERE {condition}"), params)  # noqa: S608
            return int(result.scalar_one())

    async def update(
        self,
        collection: str,
        document_id: str,
        changes: Mapping[str, Any],
        *,
        expect: Mapping[str, Any] | None = None,
    ) -> bool:
        if "_id" in changes:
            msg = "a document's _id cannot be changed"
            raise ValueError(msg)
        for field in (*changes, *(expect or {})):
            if field != "_id" and "." in field:
                msg = f"only top-level fields can be set or expected: {field!r}"
                raise ValueError(msg)
            _path(field)
        await self._ensure_table()
        # The UPDATE only matches the exact body that was read and compared: should another writer
        # change the document in between, nothing is written and the caller sees False.
        async with self._engine.begin() as connection:
            row = (
                await connection.execute(
                    text("SELECT body FROM documents WHERE collection = :c AND id = :i"),
                    {"c": collection, "i": document_id},
                )
            ).first()
            if row is None:
                return False
            stored: Document = dict(json.loads(row[0]))
            if any(stored.get(field) != _comparable(value) for field, value in (expect or {}).items()):
                return False
            stored.update({field: _comparable(value) for field, value in changes.items()})
            result = await connection.execute(
                text("UPDATE documents SET body = :b WHERE collection = :c AND id = :i AND body = :old"),
                {"c": collection, "i": document_id, "b": json.dumps(stored, default=str), "old": row[0]},
            )
            return result.rowcount == 1

    async def ping(self) -> None:
        async with self._engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def close(self) -> None:
        await self._engine.dispose()
