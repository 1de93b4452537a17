"""The identity every subgraph establishes: signed headers, access tokens, refusals."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kcp.errors import ErrorCode
from kcp.identity import ANONYMOUS, Caller, CallerKind, Identity, IdentityResolver
from kcp.identity.signed_headers import IDENTITY_HEADER, identity_headers
from kcp.identity.tokens import StaticKeySource
from kcp.settings import Settings

SECRET = "test-identity-secret"  # noqa: S105 - a test fixture, not a credential
ISSUER = "https://auth.test"
AUDIENCE = "kcp"
EDITOR = Caller(kind=CallerKind.USER, subject="u-1", role="editor", scopes=frozenset({"content:write"}))


@pytest.fixture
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def resolver(key: Ed25519PrivateKey, *, secret: str | None = SECRET) -> IdentityResolver:
    settings = Settings(kcp_identity_secret=secret, kcp_jwt_issuer=ISSUER, kcp_jwt_audience=AUDIENCE)
    return IdentityResolver(settings, keys=StaticKeySource({"k1": key.public_key()}))


def token(key: Ed25519PrivateKey, **overrides: object) -> str:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": "u-2",
        "role": "support_agent",
        "scopes": ["support:write"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": "k1"})


def code(identity: Identity) -> str | None:
    return None if identity.problem is None else str(identity.problem.code)


@pytest.mark.asyncio
async def test_signed_headers_carry_the_caller(signing_key: Ed25519PrivateKey) -> None:
    identity = await resolver(signing_key)(identity_headers(EDITOR, SECRET))
    assert identity.caller == EDITOR
    assert identity.require("content:write") == EDITOR


@pytest.mark.asyncio
async def test_tampered_unsigned_and_stale_headers_are_refused(signing_key: Ed25519PrivateKey) -> None:
    headers = identity_headers(EDITOR, SECRET)
    admin = dict(json.loads(base64.urlsafe_b64decode(headers[IDENTITY_HEADER] + "==")), scopes=["users:admin"])
    forged = base64.urlsafe_b64encode(json.dumps(admin).encode()).decode().rstrip("=")
    resolve = resolver(signing_key)
    assert code(await resolve({**headers, IDENTITY_HEADER: forged})) == ErrorCode.UNAUTHENTICATED
    assert code(await resolve({IDENTITY_HEADER: headers[IDENTITY_HEADER]})) == ErrorCode.UNAUTHENTICATED
    stale = identity_headers(EDITOR, SECRET, now=time.time() - 3600)
    assert code(await resolve(stale)) == ErrorCode.UNAUTHENTICATED
    other_secret = identity_headers(EDITOR, "another-secret")
    assert code(await resolve(other_secret)) == ErrorCode.UNAUTHENTICATED


@pytest.mark.asyncio
async def test_identity_headers_prove_nothing_without_a_secret(signing_key: Ed25519PrivateKey) -> None:
    identity = await resolver(signing_key, secret=None)(identity_headers(EDITOR, SECRET))
    assert identity.caller == ANONYMOUS


@pytest.mark.asyncio
async def test_access_token_is_verified(signing_key: Ed25519PrivateKey) -> None:
    identity = await resolver(signing_key)({"authorization": f"Bearer {token(signing_key)}"})
    assert identity.caller.subject == "u-2"
    assert identity.caller.scopes == {"support:write"}


@pytest.mark.asyncio
async def test_bad_tokens_are_refused(signing_key: Ed25519PrivateKey) -> None:
    resolve = resolver(signing_key)
    expired = token(signing_key, exp=int(time.time()) - 3600)
    wrong_audience = token(signing_key, aud="someone-else")
    foreign = token(Ed25519PrivateKey.generate())
    unsigned = jwt.encode({"sub": "u-2", "role": "admin", "scopes": ["users:admin"]}, None, algorithm="none")
    for bad in (expired, wrong_audience, foreign, unsigned, "not-a-jwt"):
        identity = await resolve({"authorization": f"Bearer {bad}"})
        assert code(identity) == ErrorCode.UNAUTHENTICATED, bad
    assert code(await resolve({"authorization": "Basic abc"})) == ErrorCode.UNAUTHENTICATED


def test_scope_checks_name_what_is_missing() -> None:
    with pytest.raises(Exception, match="Log in first") as anonymous:
        Identity().require("content:write")
    assert getattr(anonymous.value, "code", None) == ErrorCode.UNAUTHENTICATED
    with pytest.raises(Exception, match="content:review") as forbidden:
        Identity(caller=EDITOR).require("content:write", "content:review")
    assert getattr(forbidden.value, "code", None) == ErrorCode.FORBIDDEN
    assert Identity(caller=EDITOR).require_any("content:read", "content:write") == EDITOR
