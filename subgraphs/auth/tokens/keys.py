"""The Ed25519 key ring that signs access tokens, kept on disk (mode 0600), one PEM file a key.

Files are ``signing-keys/000001.pem``, ``000002.pem``, ...: the highest number signs, every key in
the folder is published in the JWKS (so tokens signed before a rotation stay valid until they
expire), and a retired key moves to ``signing-keys/retired/`` and stops verifying anything.
Creation is race-free: a key is written to a private temporary file and hard-linked into place,
so two processes creating the same number end up using the same key.

A *managed* ring (``KeyRing.managed``, from ``KCP_SIGNING_KEYS_DIR``) reads the same numbered files
from a folder someone else writes — a mounted Kubernetes Secret — and never writes: rotating or
retiring is a change to the Secret, which the kubelet swaps in atomically and the ring re-reads. So
replicas share keys without a ReadWriteMany volume.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

from kcp.errors import ErrorCode, KcpError, NotFoundError

if TYPE_CHECKING:
    from pathlib import Path

log = structlog.get_logger()

ALGORITHM = "EdDSA"
KEY_FOLDER = "signing-keys"
RETIRED_FOLDER = "retired"
LEGACY_KEY_FILE = "jwt-signing-key.pem"  # the single key of earlier versions: becomes key 000001


@dataclass(frozen=True)
class SigningKey:
    """The private key, its public half and the public JWK (with ``kid``) served as JWKS."""

    kid: str
    number: int
    created_at: datetime
    private_key: Ed25519PrivateKey
    public_key: Ed25519PublicKey
    public_jwk: dict[str, str]


def _thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint: SHA-256 over the required members in canonical JSON."""
    canonical = json.dumps({name: jwk[name] for name in ("crv", "kty", "x")}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def _read(path: Path) -> SigningKey:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("auth.signing_key_permissions", path=str(path), mode=oct(mode), expected="0o600")
    private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        msg = f"{path} does not hold an Ed25519 private key; move it away and restart to create a new key"
        raise TypeError(msg)
    public_key = private_key.public_key()
    jwk: dict[str, Any] = OKPAlgorithm.to_jwk(public_key, as_dict=True)
    kid = _thumbprint(jwk)
    public_jwk = {"kty": jwk["kty"], "crv": jwk["crv"], "x": jwk["x"], "use": "sig", "alg": ALGORITHM, "kid": kid}
    return SigningKey(
        kid=kid,
        number=int(path.stem),
        created_at=datetime.fromtimestamp(int(path.stat().st_mtime), UTC),
        private_key=private_key,
        public_key=public_key,
        public_jwk=public_jwk,
    )


def _write_new(path: Path, pem: bytes) -> bool:
    """Link a 0600 file holding ``pem`` at ``path``; False when another process got there first."""
    temporary = path.parent / f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        temporary.unlink(missing_ok=True)


def _new_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


class KeyRing:
    """The signing keys of one auth data folder. ``load()`` before use (the app does at start-up)."""

    def __init__(self, data_directory: Path) -> None:
        self._legacy = data_directory / LEGACY_KEY_FILE
        self._folder = data_directory / KEY_FOLDER
        self._keys: list[SigningKey] = []
        self._lock = threading.Lock()
        self._managed = False

    @classmethod
    def managed(cls, folder: Path) -> KeyRing:
        """The numbered keys of ``folder``, written by someone else (a mounted Secret); read-only."""
        ring = cls(folder)
        ring._folder = folder
        ring._managed = True
        return ring

    def _refuse_when_managed(self, doing: str) -> None:
        if self._managed:
            msg = (
                f"Signing keys come from KCP_SIGNING_KEYS_DIR ({self._folder}), managed outside the service: "
                f"{doing} by changing that Secret (a new highest-numbered key signs; a removed key stops verifying)"
            )
            raise KcpError(msg, code=ErrorCode.FEATURE_DISABLED)

    def load(self) -> None:
        """Read the folder; on the very first start create key 000001 (from the legacy file if any)."""
        if self._managed:
            with self._lock:
                if not self._paths():
                    msg = f"KCP_SIGNING_KEYS_DIR {self._folder} holds no numbered key (000001.pem, ...)"
                    raise FileNotFoundError(msg)
                self._keys = [_read(path) for path in self._paths()]
            return
        with self._lock:
            self._folder.mkdir(mode=0o700, exist_ok=True)
            if not self._paths():
                pem = self._legacy.read_bytes() if self._legacy.exists() else _new_pem()
                _write_new(self._folder / "000001.pem", pem)
            self._keys = [_read(path) for path in self._paths()]

    def _paths(self) -> list[Path]:
        return sorted(path for path in self._folder.glob("*.pem") if path.stem.isdigit())

    def _current(self) -> list[SigningKey]:
        """The keys, re-read when the folder changed: another auth process may have rotated or
        retired one (listing a folder of a few files costs microseconds)."""
        if not self._keys:
            msg = "KeyRing.load() has not run; the app's start-up hooks load the signing keys"
            raise RuntimeError(msg)
        numbers = [int(path.stem) for path in self._paths()]
        if numbers and numbers != [key.number for key in self._keys]:  # a rotation, here or in a Secret
            with self._lock:
                self._keys = [_read(path) for path in self._paths()]
        return self._keys

    @property
    def keys(self) -> list[SigningKey]:
        """Every published key, newest (the signing one) first."""
        return list(reversed(self._current()))

    @property
    def signing(self) -> SigningKey:
        return self.keys[0]

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The JSON Web Key Set verifiers fetch: every key that may still have signed a live token."""
        return {"keys": [key.public_jwk for key in self.keys]}

    def rotate(self) -> SigningKey:
        """Create the next key; it signs from now on, the older ones still verify."""
        self._refuse_when_managed("rotate")
        with self._lock:
            number = int(self._paths()[-1].stem) + 1
            _write_new(self._folder / f"{number:06d}.pem", _new_pem())  # a concurrent rotation's key wins
            self._keys = [_read(path) for path in self._paths()]
            return self._keys[-1]

    def retire(self, kid: str) -> SigningKey:
        """Stop publishing (and trusting) an older key; the signing key cannot be retired."""
        self._refuse_when_managed("retire a key")
        with self._lock:
            key = next((key for key in self._keys if key.kid == kid), None)
            if key is None:
                raise NotFoundError(f"No published signing key has the kid {kid!r}")
            if key is self._keys[-1]:
                msg = "The newest key signs every token: rotate to a new key before retiring this one"
                raise KcpError(msg)
            retired = self._folder / RETIRED_FOLDER
            retired.mkdir(mode=0o700, exist_ok=True)
            (self._folder / f"{key.number:06d}.pem").rename(retired / f"{key.number:06d}.pem")
            self._keys = [_read(path) for path in self._paths()]
            return key

    async def key(self, kid: str) -> Ed25519PublicKey | None:
        """The public key for ``kid`` (``kcp.identity`` KeySource): auth verifies in-process."""
        return next((key.public_key for key in self._current() if key.kid == kid), None)
