"""Loads the demo users (insert-if-missing: running twice changes nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog

from kcp.seeding import chunks
from subgraphs.auth.stores import AuthStores
from subgraphs.auth.users.passwords import PasswordService
from subgraphs.auth.users.repository import UserRepository
from subgraphs.auth.users.roles import Role
from subgraphs.auth.users.service import normalise_email

if TYPE_CHECKING:
    from demo.model import DemoData
    from kcp.seeding import SeedProgress
    from kcp.settings import Settings

log = structlog.get_logger()


async def seed(settings: Settings, data: DemoData, progress: SeedProgress) -> None:
    stores = AuthStores.open(settings)
    try:
        await stores.ensure_schema()
        repository = UserRepository(stores.relational)
        before = await repository.count()
        # One argon2 hash (~50 ms) shared by every demo user. Acceptable ONLY because the demo
        # password is published anyway; real accounts always get their own salted hash.
        shared_hash = await PasswordService().hash(data.demo_password)
        rows: list[dict[str, Any]] = [
            {
                "id": user.id,
                "email": normalise_email(user.email),
                "name": user.name,
                "role": str(Role(user.role)),  # fails loudly on a role the platform does not know
                "password_hash": shared_hash,
                "created_at": user.created_at,
                "disabled": False,
            }
            for user in data.users
        ]
        progress.start("users", len(rows))
        for chunk in chunks(rows):
            await repository.insert_missing(chunk)
            progress.advance(len(chunk))
        log.info("auth.seeded", users=len(rows), inserted=await repository.count() - before)
    finally:
        await stores.close()
