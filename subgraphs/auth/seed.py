"""Loads the demo users, partners with their API keys, and the audit history of those keys and
of deactivated accounts (insert-if-missing: running twice changes nothing)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

import structlog

from kcp.seeding import chunks
from subgraphs.auth.audit.kinds import AuditKind
from subgraphs.auth.partners.keys import hash_key
from subgraphs.auth.partners.repository import PartnerRepository
from subgraphs.auth.sessions.service import normalise_email
from subgraphs.auth.stores import AuthStores
from subgraphs.auth.tables import AuditEventRow
from subgraphs.auth.users.passwords import PasswordService
from subgraphs.auth.users.repository import UserRepository, insert_ignoring_conflicts
from subgraphs.auth.users.roles import Role

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Table

    from demo.model import DemoData
    from kcp.seeding import SeedProgress
    from kcp.settings import Settings

log = structlog.get_logger()

AUDIT = cast("Table", AuditEventRow.__table__)  # Core inserts: ids chosen here, conflicts ignored


def _history(data: DemoData) -> list[dict[str, Any]]:
    """Audit events for the demo's past: keys created and revoked, accounts deactivated.

    They get fixed negative ids, the newest -1: stable (so seeding stays insert-if-missing), in
    time order, and never in the way of the positive ids the running service assigns.
    """
    events: list[tuple[datetime, str, str | None, str, str]] = []
    for partner in data.partners:
        for key in partner.api_keys:
            detail = f"partner {partner.id}; scopes {' '.join(key.scopes)}"
            events.append((key.created_at, AuditKind.API_KEY_CREATED, key.created_by, key.id, detail))
            if key.revoked_at is not None:
                events.append(
                    (key.revoked_at, AuditKind.API_KEY_REVOKED, key.created_by, key.id, f"partner {partner.id}")
                )
    admin = next(u.id for u in data.users if u.role == "admin")
    created = {u.id: u.created_at for u in data.users}
    events.extend(
        (_deactivated_at(created[user_id]), AuditKind.USER_DEACTIVATED, admin, user_id, "0 sessions ended")
        for user_id in data.deactivated_user_ids
    )
    events.sort(key=lambda event: event[0])
    return [
        {
            "id": n - len(events),
            "kind": str(kind),
            "occurred_at": at,
            "actor_id": actor,
            "target_id": target,
            "detail": detail,
        }
        for n, (at, kind, actor, target, detail) in enumerate(events)
    ]


def _deactivated_at(created_at: datetime) -> datetime:
    return created_at + timedelta(days=120)


async def seed(
    settings: Settings, data: DemoData, progress: SeedProgress, *, passwords: PasswordService | None = None
) -> None:
    stores = AuthStores.open(settings)
    try:
        await stores.ensure_schema()
        store = stores.relational
        async with store.reading() as db:
            before = await UserRepository(db).count()
        # One argon2 hash (~50 ms) shared by every demo user. Acceptable ONLY because the demo
        # password is published anyway; real accounts always get their own salted hash.
        shared_hash = await (passwords or PasswordService()).hash(data.demo_password)
        partner_of = {member: p.id for p in data.partners for member in p.member_ids}
        deactivated = set(data.deactivated_user_ids)
        partners = [{"id": p.id, "name": p.name, "created_at": p.created_at} for p in data.partners]
        keys = [
            {
                "id": key.id,
                "partner_id": partner.id,
                "name": key.name,
                "key_hash": hash_key(key.key),
                "scopes": list(key.scopes),
                "created_at": key.created_at,
                "created_by": key.created_by,
                "revoked_at": key.revoked_at,
                "last_used_at": key.last_used_at,
            }
            for partner in data.partners
            for key in partner.api_keys
        ]
        progress.start("partners", len(partners))
        async with store.transaction() as db:
            await PartnerRepository(db).insert_missing(partners, keys)
        progress.advance(len(partners))
        rows: list[dict[str, Any]] = [
            {
                "id": user.id,
                "email": normalise_email(user.email),
                "name": user.name,
                "role": str(Role(user.role)),  # fails loudly on a role the platform does not know
                "password_hash": shared_hash,
                "created_at": user.created_at,
                "disabled": user.id in deactivated,
                "deactivated_at": _deactivated_at(user.created_at) if user.id in deactivated else None,
                "partner_id": partner_of.get(user.id),
            }
            for user in data.users
        ]
        progress.start("users", len(rows))
        for chunk in chunks(rows):
            async with store.transaction() as db:
                await UserRepository(db).insert_missing(chunk)
            progress.advance(len(chunk))
        history = _history(data)
        progress.start("audit history", len(history))
        async with store.transaction() as db:
            if history:
                await db.execute(insert_ignoring_conflicts(AUDIT, db.get_bind().dialect.name), history)
        progress.advance(len(history))
        async with store.reading() as db:
            inserted = await UserRepository(db).count() - before
        log.info("auth.seeded", users=len(rows), inserted=inserted, partners=len(partners), api_keys=len(keys))
    finally:
        await stores.close()
