"""Signing keys from a folder managed outside the service (``KCP_SIGNING_KEYS_DIR``: a mounted
Kubernetes Secret), laid out the way the kubelet writes one — each key a symlink through ``..data``
to a timestamped folder, an update swapping ``..data`` in one rename — so auth replicas share keys
without a ReadWriteMany volume. The ring only reads: rotation through the API is refused, and a
Secret update is picked up without a restart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jwt
import pytest
import pytest_asyncio
from auth_support import IDENTITY_SECRET, AuthClient, MovableClock, code, fast_passwords, small_data
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kcp.settings import Settings
from subgraphs.auth.app import create_app
from subgraphs.auth.seed import seed
from subgraphs.auth.tokens.keys import KeyRing

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path


def _pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write_secret(folder: Path, keys: dict[str, bytes], version: int) -> None:
    """What the kubelet does on each Secret update: a new timestamped folder, ``..data`` swapped to it
    in one rename, and a symlink per key through ``..data``."""
    folder.mkdir(exist_ok=True)
    payload = folder / f"..2026_12_07_0{version}"
    payload.mkdir()
    for name, pem in keys.items():
        (payload / name).write_bytes(pem)
        (payload / name).chmod(0o400)
    (folder / "..data_tmp").symlink_to(payload.name)
    (folder / "..data_tmp").replace(folder / "..data")
    for name in keys:
        if not (folder / name).is_symlink():
            (folder / name).symlink_to(f"..data/{name}")
    for path in folder.iterdir():
        if not path.name.startswith("..") and path.name not in keys:
            path.unlink()


@pytest.fixture
def secret(tmp_path: Path) -> dict[str, bytes]:
    keys = {"000001.pem": _pem(), "000002.pem": _pem()}
    _write_secret(tmp_path / "signing-keys-secret", keys, version=1)
    return keys


@pytest.fixture
def settings(tmp_path: Path, secret: dict[str, bytes]) -> Settings:
    assert secret
    return Settings(
        kcp_data_dir=tmp_path / "data",
        kcp_identity_secret=IDENTITY_SECRET,
        kcp_signing_keys_dir=tmp_path / "signing-keys-secret",
    )


@pytest_asyncio.fixture
async def auth(settings: Settings, new_progress: Any, graphql_app: Any) -> AsyncIterator[AuthClient]:
    await seed(settings, small_data(), new_progress(), passwords=fast_passwords())
    app = create_app(settings, clock=MovableClock(), passwords=fast_passwords())
    async with graphql_app(app, base_url="http://auth") as api:
        yield AuthClient(api, settings)


def _kid(pem: bytes, folder: Path) -> str:
    """The kid the service gives ``pem``: read through a key ring of its own."""
    folder.mkdir()
    (folder / "000001.pem").write_bytes(pem)
    (folder / "000001.pem").chmod(0o600)
    ring = KeyRing.managed(folder)
    ring.load()
    return ring.signing.kid


@pytest.mark.asyncio
async def test_the_secret_keys_sign_and_verify_and_the_api_cannot_rotate_them(
    auth: AuthClient, secret: dict[str, bytes], tmp_path: Path
) -> None:
    newest = _kid(secret["000002.pem"], tmp_path / "kid-2")
    older = _kid(secret["000001.pem"], tmp_path / "kid-1")
    jwks = (await auth.http.get("/.well-known/jwks.json")).json()
    assert [key["kid"] for key in jwks["keys"]] == [newest, older]
    admin = await auth.token()
    assert jwt.get_unverified_header(admin)["kid"] == newest
    assert (await auth.gql("{ me { id } }", token=admin))["data"] == {"me": {"id": "usr-0001"}}

    rotated = await auth.gql("mutation { rotateSigningKey { kid } }", token=admin)
    assert code(rotated) == "FEATURE_DISABLED"
    assert "KCP_SIGNING_KEYS_DIR" in rotated["errors"][0]["message"]
    retired = await auth.gql("mutation($k: String!) { retireSigningKey(kid: $k) { kid } }", {"k": older}, token=admin)
    assert code(retired) == "FEATURE_DISABLED"
    assert not (tmp_path / "data" / "auth" / "signing-keys").exists(), "a managed ring writes nothing"


@pytest.mark.asyncio
async def test_a_secret_update_is_picked_up_without_a_restart(
    auth: AuthClient, secret: dict[str, bytes], tmp_path: Path
) -> None:
    before = await auth.token()
    rotated = {"000002.pem": secret["000002.pem"], "000003.pem": _pem()}  # 000001 removed, 000003 added
    _write_secret(tmp_path / "signing-keys-secret", rotated, version=2)
    newest = _kid(rotated["000003.pem"], tmp_path / "kid-3")

    jwks = (await auth.http.get("/.well-known/jwks.json")).json()
    assert [key["kid"] for key in jwks["keys"]] == [newest, jwt.get_unverified_header(before)["kid"]]
    assert jwt.get_unverified_header(await auth.token())["kid"] == newest
    assert (await auth.gql("{ me { id } }", token=before))["data"] == {"me": {"id": "usr-0001"}}


def test_an_empty_secret_folder_stops_the_start_with_its_name(tmp_path: Path) -> None:
    ring = KeyRing.managed(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"KCP_SIGNING_KEYS_DIR .* holds no numbered key"):
        ring.load()
