"""The router proves the caller once, refuses bad credentials with 401 and signs what it passes on."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kcp.errors import UnauthenticatedError
from kcp.identity import Caller, CallerKind, IdentityResolver
from kcp.identity.signed_headers import IDENTITY_HEADER, SIGNATURE_HEADER
from kcp.identity.tokens import AccessTokenVerifier, StaticKeySource
from kcp.settings import Settings
from router.errors import RouterError
from router.policy.identity import CachedApiKeys, IdentityStage

SECRET = "router-test-secret"  # noqa: S105 - a test fixture, not a credential
KEY = Ed25519PrivateKey.generate()
PARTNER = Caller(
    kind=CallerKind.PARTNER, subject="partner-retailer", role="partner", scopes=frozenset({"knowledge:read"})
)


# Algorithm confusion: HS256 "signed" with a guessable secret must not pass as an EdDSA token.
HMAC_CONFUSION = jwt.encode({"sub": "u-1"}, "the-public-key-used-as-an-hmac-secret!", algorithm="HS256")


class PartnerKeys:
    """The one valid key is ``good``; counts how often it was asked."""

    def __init__(self) -> None:
        self.asked = 0

    async def check(self, api_key: str) -> Caller:
        self.asked += 1
        if api_key != "good":
            raise UnauthenticatedError("Unknown or revoked API key")
        return PARTNER


def stage(api_keys: PartnerKeys | None = None) -> IdentityStage:
    verifier = AccessTokenVerifier(StaticKeySource({"k1": KEY.public_key()}), issuer="iss", audience="kcp")
    return IdentityStage(verifier, None if api_keys is None else CachedApiKeys(api_keys), SECRET)


def token(**overrides: object) -> str:
    now = int(time.time())
    claims = {"sub": "u-1", "role": "editor", "scopes": ["content:write"], "iss": "iss", "aud": "kcp", "iat": now}
    claims |= {"exp": now + 60, **overrides}
    return jwt.encode(claims, KEY, algorithm="EdDSA", headers={"kid": "k1"})


@pytest.mark.asyncio
async def test_a_valid_token_proves_a_user() -> None:
    caller = await stage().caller({"authorization": f"Bearer {token()}"})
    assert (caller.kind, caller.subject, caller.scopes) == (CallerKind.USER, "u-1", {"content:write"})
    assert not (await stage().caller({})).authenticated


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "headers",
    [
        {"authorization": "Bearer not-a-token"},
        {"authorization": f"Bearer {token(exp=int(time.time()) - 600)}"},
        {"authorization": f"Bearer {token(iss='someone-else')}"},
        {"authorization": f"Bearer {HMAC_CONFUSION}"},
        {"x-api-key": "anything"},  # this router was given no API key checker
    ],
)
async def test_bad_credentials_are_a_401(headers: dict[str, str]) -> None:
    with pytest.raises(RouterError) as refused:
        await stage().caller(headers)
    assert refused.value.status == 401
    assert refused.value.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.asyncio
async def test_api_key_answers_are_cached_good_and_bad() -> None:
    keys = PartnerKeys()
    identity = stage(keys)
    for _ in range(3):
        assert await identity.caller({"x-api-key": "good"}) == PARTNER
        with pytest.raises(RouterError):
            await identity.caller({"x-api-key": "revoked"})
    assert keys.asked == 2


@pytest.mark.asyncio
async def test_subgraphs_get_a_signed_identity_never_the_clients() -> None:
    forged = {IDENTITY_HEADER: "eyJraW5kIjoidXNlciJ9", SIGNATURE_HEADER: "v1=00", "authorization": "Bearer x"}
    identity = stage()
    passed_on = identity.subgraph_headers(forged, PARTNER)
    assert passed_on[IDENTITY_HEADER] != forged[IDENTITY_HEADER]
    subgraph_view = await IdentityResolver(Settings(kcp_identity_secret=SECRET))(passed_on)
    assert subgraph_view.caller == PARTNER
    anonymous = identity.subgraph_headers(forged, await identity.caller({}))
    assert IDENTITY_HEADER not in anonymous
    assert SIGNATURE_HEADER not in anonymous
