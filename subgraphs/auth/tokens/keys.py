"""The Ed25519 key pair that signs access tokens, created once and kept on disk (mode 0600).

Creation is race-free: the key is written to a private temporary file and hard-linked into
place, so two processes starting together end up using the same key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

if TYPE_CHECKING:
    from pathlib import Path

log = structlog.get_logger()

ALGORITHM = "EdDSA"
KEY_FILE = "jwt-signing-key.pem"


@dataclass(frozen=True)
class SigningKey:
    """The private key, its public half and the public JWK (with ``kid``) served as JWKS."""

    kid: str
    private_key: Ed25519PrivateKey
    public_key: Ed25519PublicKey
    public_jwk: dict[str, str]


def _thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint: SHA-256 over the required members in canonical JSON."""
    canonical = json.dumps({name: jwk[name] for name in ("crv", "kty", "x")}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def _from_private_key(private_key: Ed25519PrivateKey) -> SigningKey:
    public_key = private_key.public_key()
    jwk: dict[str, Any] = OKPAlgorithm.to_jwk(public_key, as_dict=True)
    kid = _thumbprint(jwk)
    public_jwk = {"kty": jwk["kty"], "crv": jwk["crv"], "x": jwk["x"], "use": "sig", "alg": ALGORITHM, "kid": kid}
    return SigningKey(kid=kid, private_key=private_key, public_key=public_key, public_jwk=public_jwk)


def _read(path: Path) -> SigningKey:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("auth.signing_key_permissions", path=str(path), mode=oct(mode), expected="0o600")
    private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        msg = f"{path} does not hold an Ed25519 private key; move it away and restart to create a new key"
        raise TypeError(msg)
    return _from_private_key(private_key)


def load_or_create_signing_key(directory: Path) -> SigningKey:
    """The key in ``directory``, created (0600) when there is none yet."""
    path = directory / KEY_FILE
    if path.exists():
        return _read(path)
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    temporary = directory / f".{KEY_FILE}.{os.getpid()}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read(path)  # another process created it first; use theirs
    finally:
        temporary.unlink(missing_ok=True)
    log.info("auth.signing_key_created", path=str(path), kid=_from_private_key(private_key).kid)
    return _from_private_key(private_key)
