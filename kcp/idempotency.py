"""Idempotent mutations: the same key from the same caller for the same operation gives back the
stored result of the first call, never a second write.

Each subgraph keeps its own table: ``idempotency_table(metadata)`` adds it to the subgraph's own
SQLAlchemy metadata. ``IdempotentWrites.run`` executes the write and records its (JSON) result in
ONE transaction, so a key is only ever stored together with the write it stands for. Two
concurrent calls with one key both try to insert the key; the primary key lets one win, the other
rolls back (its write included) and answers with the winner's stored result.

A key reused with different arguments is refused (``IDEMPOTENCY_KEY_REUSED``) rather than
silently answered with the first result: that is nearly always a client bug.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Column, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

from kcp.errors import ErrorCode, KcpError
from kcp.stores.columns import UtcDateTime

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from sqlalchemy.ext.asyncio import AsyncSession

    from kcp.identity import Caller
    from kcp.stores.relational import RelationalStore

TABLE_NAME = "idempotency_keys"
MAX_KEY_LENGTH = 200
MIN_KEY_LENGTH = 8

Result = dict[str, Any]


def idempotency_table(metadata: MetaData) -> Table:
    """The key table, on a subgraph's own metadata (created with the subgraph's other tables)."""
    return Table(
        TABLE_NAME,
        metadata,
        Column("caller", String(200), primary_key=True),
        Column("operation", String(64), primary_key=True),
        Column("key", String(MAX_KEY_LENGTH), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("result", JSON, nullable=False),
        # Kept so old keys can be pruned once a retention period is decided.
        Column("created_at", UtcDateTime(), nullable=False),
    )


class InvalidIdempotencyKeyError(KcpError):
    code = ErrorCode.BAD_USER_INPUT


class IdempotencyKeyReusedError(KcpError):
    code = ErrorCode.IDEMPOTENCY_KEY_REUSED


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    """Who asks, for which operation, under which key, with which arguments (as a digest)."""

    caller: str
    operation: str
    key: str
    fingerprint: str

    @classmethod
    def of(cls, caller: Caller, operation: str, key: str, arguments: Mapping[str, Any]) -> IdempotentRequest:
        cleaned = key.strip()
        if not MIN_KEY_LENGTH <= len(cleaned) <= MAX_KEY_LENGTH or not cleaned.isprintable():
            msg = (
                f"`idempotencyKey` must be {MIN_KEY_LENGTH} to {MAX_KEY_LENGTH} printable characters"
                " (a UUID is a good choice)."
            )
            raise InvalidIdempotencyKeyError(msg)
        canonical = json.dumps(arguments, sort_keys=True, separators=(",", ":"), default=str)
        return cls(
            caller=f"{caller.kind}:{caller.subject or ''}",
            operation=operation,
            key=cleaned,
            fingerprint=hashlib.sha256(canonical.encode()).hexdigest(),
        )


class IdempotentWrites:
    """Runs writes at most once per ``IdempotentRequest``; one per subgraph table."""

    def __init__(self, store: RelationalStore, table: Table, *, clock: Callable[[], datetime] | None = None) -> None:
        self._store = store
        self._table = table
        self._clock = clock or (lambda: datetime.now(UTC))

    async def run(
        self, request: IdempotentRequest | None, write: Callable[[AsyncSession], Awaitable[Result]]
    ) -> Result:
        """``write``'s result; for a known request, the result stored by its first run.

        ``write`` runs inside the transaction that also stores the key: when either fails,
        neither is kept.
        """
        if request is None:
            async with self._store.transaction() as session:
                return await write(session)
        try:
            async with self._store.transaction() as session:
                stored = await self._recall(session, request)
                if stored is not None:
                    return stored
                result = await write(session)
                await session.execute(
                    insert(self._table).values(
                        caller=request.caller,
                        operation=request.operation,
                        key=request.key,
                        fingerprint=request.fingerprint,
                        result=result,
                        created_at=self._clock(),
                    )
                )
                return result
        except IntegrityError:
            # A concurrent call with the same key committed first; ours rolled back entirely.
            async with self._store.reading() as session:
                stored = await self._recall(session, request)
            if stored is None:
                raise  # the conflict was not about the key: a real error
            return stored

    async def _recall(self, session: AsyncSession, request: IdempotentRequest) -> Result | None:
        table = self._table
        row = (
            await session.execute(
                select(table.c.fingerprint, table.c.result).where(
                    table.c.caller == request.caller,
                    table.c.operation == request.operation,
                    table.c.key == request.key,
                )
            )
        ).first()
        if row is None:
            return None
        if row.fingerprint != request.fingerprint:
            msg = (
                f"`idempotencyKey` {request.key!r} was already used for a different {request.operation}; "
                "use a new key for a new request."
            )
            raise IdempotencyKeyReusedError(msg)
        result: Result = row.result
        return result
