"""Forged and stale access tokens are refused at the router with 401 ``UNAUTHENTICATED``; the same
claims signed properly by the auth service's key are accepted (so the forging below is sound)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import TYPE_CHECKING, Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import demo

if TYPE_CHECKING:
    from pathlib import Path

    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

ME = "{ me { email } }"
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def ask(platform: Platform, token: str) -> httpx.Response:
    return httpx.post(platform.router_url, json={"query": ME}, headers={"authorization": f"Bearer {token}"}, timeout=30)


def refused(response: httpx.Response) -> bool:
    body = response.json()
    codes = [error["extensions"]["code"] for error in body.get("errors", [])]
    return response.status_code == 401 and codes == ["UNAUTHENTICATED"] and not body.get("data")


@pytest.fixture(scope="module")
def issued(platform: Platform) -> dict[str, Any]:
    """A real access token's header and claims, as the auth service issued them."""
    variables = {"e": "agent@soundcore.example", "p": demo.generate().demo_password}
    token = httpx.post(platform.router_url, json={"query": LOGIN, "variables": variables}, timeout=30).json()
    access = token["data"]["login"]["accessToken"]
    return {
        "header": jwt.get_unverified_header(access),
        "claims": jwt.decode(access, options={"verify_signature": False}),
    }


@pytest.fixture(scope="module")
def signing_key(seeded_data_dir: Path) -> Ed25519PrivateKey:
    """The auth service's signing key, read from its data folder (the newest signs)."""
    paths = sorted(seeded_data_dir.rglob("signing-keys/*.pem"))
    assert paths, f"no signing key under {seeded_data_dir}"
    key = serialization.load_pem_private_key(paths[-1].read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def sign(key: Ed25519PrivateKey, claims: dict[str, Any], kid: str) -> str:
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})


def fresh(claims: dict[str, Any], **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    return {**claims, "iat": now, "exp": now + 600, **changes}


def test_the_auth_services_key_signs_tokens_the_router_accepts(
    platform: Platform, issued: dict[str, Any], signing_key: Ed25519PrivateKey
) -> None:
    response = ask(platform, sign(signing_key, fresh(issued["claims"]), issued["header"]["kid"]))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["me"]["email"] == "agent@soundcore.example"


def test_alg_none_is_refused(platform: Platform, issued: dict[str, Any]) -> None:
    header = {"alg": "none", "typ": "JWT", "kid": issued["header"]["kid"]}
    unsigned = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(fresh(issued['claims'])).encode())}."
    assert refused(ask(platform, unsigned))


def test_hs256_signed_with_the_public_key_is_refused(
    platform: Platform, issued: dict[str, Any], signing_key: Ed25519PrivateKey
) -> None:
    # Key confusion: a verifier that took its algorithm from the token would HMAC with the public key.
    jwks = httpx.get(platform.url("auth") + "/.well-known/jwks.json", timeout=10).json()
    public_jwk = next(key for key in jwks["keys"] if key["kid"] == issued["header"]["kid"])
    pem = signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": issued["header"]["kid"]}).encode())
    payload = b64(json.dumps(fresh(issued["claims"])).encode())
    for secret in (pem, json.dumps(public_jwk).encode(), public_jwk["x"].encode()):
        signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        assert refused(ask(platform, f"{header}.{payload}.{b64(signature)}"))


def test_an_expired_token_is_refused(
    platform: Platform, issued: dict[str, Any], signing_key: Ed25519PrivateKey
) -> None:
    now = int(time.time())
    expired = {**issued["claims"], "iat": now - 7200, "exp": now - 3600}
    response = ask(platform, sign(signing_key, expired, issued["header"]["kid"]))
    assert refused(response)
    assert "expired" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(("claim", "value"), [("aud", "someone-else"), ("iss", "https://evil.example")])
def test_a_token_for_another_audience_or_from_another_issuer_is_refused(
    platform: Platform, issued: dict[str, Any], signing_key: Ed25519PrivateKey, claim: str, value: str
) -> None:
    token = sign(signing_key, fresh(issued["claims"], **{claim: value}), issued["header"]["kid"])
    assert refused(ask(platform, token))


def test_a_token_with_an_unknown_kid_is_refused(platform: Platform, issued: dict[str, Any]) -> None:
    stranger = Ed25519PrivateKey.generate()
    assert refused(ask(platform, sign(stranger, fresh(issued["claims"]), "not-a-key-of-ours")))
    # Nor does a stranger's key pass under the real kid.
    assert refused(ask(platform, sign(stranger, fresh(issued["claims"]), issued["header"]["kid"])))
