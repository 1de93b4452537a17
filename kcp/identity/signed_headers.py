"""The identity the router proved, passed to subgraphs in two headers signed with a shared secret.

``x-kcp-identity`` carries base64url JSON (kind, subject, role, scopes, expiry);
``x-kcp-identity-signature`` is ``v1=`` + hex HMAC-SHA256 of that value under
``KCP_IDENTITY_SECRET``. The expiry is short so a captured pair cannot be replayed for long.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import TYPE_CHECKING, Any

from kcp.errors import UnauthenticatedError
from kcp.identity.caller import Caller, CallerKind

if TYPE_CHECKING:
    from collections.abc import Mapping

IDENTITY_HEADER = "x-kcp-identity"
SIGNATURE_HEADER = "x-kcp-identity-signature"
SIGNATURE_VERSION = "v1="
LIFETIME_SECONDS = 60


def _signature(value: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()
    return SIGNATURE_VERSION + digest


def identity_headers(caller: Caller, secret: str, *, now: float | None = None) -> dict[str, str]:
    """The two headers that carry ``caller`` to a subgraph."""
    payload = {
        "kind": str(caller.kind),
        "sub": caller.subject,
        "role": caller.role,
        "scopes": sorted(caller.scopes),
        "exp": int((time.time() if now is None else now) + LIFETIME_SECONDS),
    }
    value = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")
    return {IDENTITY_HEADER: value, SIGNATURE_HEADER: _signature(value, secret)}


def caller_from_headers(headers: Mapping[str, str], secret: str, *, now: float | None = None) -> Caller:
    """The signed caller, or ``UnauthenticatedError`` for a missing, tampered or stale signature."""
    value = headers.get(IDENTITY_HEADER, "")
    signature = headers.get(SIGNATURE_HEADER, "")
    if not signature:
        raise UnauthenticatedError("Identity header is not signed")
    if not hmac.compare_digest(signature, _signature(value, secret)):
        raise UnauthenticatedError("Identity header signature does not match")
    try:
        payload: Any = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError) as error:
        raise UnauthenticatedError("Identity header is unreadable") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int):
        raise UnauthenticatedError("Identity header is unreadable")
    if payload["exp"] < (time.time() if now is None else now):
        raise UnauthenticatedError("Identity header has expired")
    try:
        kind = CallerKind(str(payload.get("kind")))
    except ValueError as error:
        raise UnauthenticatedError("Identity header is unreadable") from error
    scopes = payload.get("scopes")
    subject, role = payload.get("sub"), payload.get("role")
    if (
        not isinstance(scopes, list)
        or not all(isinstance(scope, str) for scope in scopes)
        or not isinstance(subject, str | None)
        or not isinstance(role, str | None)
    ):
        raise UnauthenticatedError("Identity header is unreadable")
    return Caller(kind=kind, subject=subject, role=role, scopes=frozenset(scopes))
