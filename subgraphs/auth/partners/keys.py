"""The API key format: ``kcp_<key id>_<secret>``.

The id finds the stored key in one indexed look-up; the secret (256 random bits) is checked
against the SHA-256 of the whole key in constant time. Only the hash is stored, and the whole key
is shown to its creator once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PREFIX = "kcp"
MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class NewKey:
    id: str
    key: str
    key_hash: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> NewKey:
    key_id = secrets.token_hex(6)
    key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    return NewKey(id=key_id, key=key, key_hash=hash_key(key))


def key_id_of(key: str) -> str | None:
    """The id part of a well-formed key; None for anything else."""
    if len(key) > MAX_KEY_LENGTH:
        return None
    prefix, _, rest = key.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not key_id or not secret:
        return None
    return key_id


def matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_key(key), stored_hash)
