"""argon2id password hashing; slow on purpose, so it runs off the event loop."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Verified against for unknown e-mails, so a miss costs as long as a wrong password.
_DUMMY_PASSWORD = "kcp-dummy-password-never-valid"  # noqa: S105 - not a credential; a timing decoy


class PasswordService:
    """Hashes and verifies passwords with argon2-cffi's defaults (argon2id)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None

    async def warm_up(self) -> None:
        """Compute the decoy hash at start-up so the first unknown-e-mail login is not faster."""
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash(_DUMMY_PASSWORD)

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; with no stored hash, burns the same time and fails."""
        if stored_hash is None:
            await self.warm_up()
            assert self._dummy_hash is not None  # noqa: S101 - set by warm_up
            await asyncio.to_thread(self._verify_sync, self._dummy_hash, password)
            return False
        return await asyncio.to_thread(self._verify_sync, stored_hash, password)

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)

    def _verify_sync(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False
