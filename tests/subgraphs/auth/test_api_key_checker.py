"""The router's API key checker (kcp.identity.api_keys) against the real auth app."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest
from auth_support import PARTNER_KEY, REVOKED_KEY, AuthClient
from pydantic import SecretStr

from kcp.errors import ErrorCode, UnauthenticatedError
from kcp.identity import CallerKind
from kcp.identity.api_keys import AuthServiceApiKeys
from kcp.settings import Settings

if TYPE_CHECKING:
    from pathlib import Path


def _checker(auth: AuthClient, settings: Settings) -> AuthServiceApiKeys:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(auth.app), base_url="http://auth")
    return AuthServiceApiKeys(settings.model_copy(update={"auth_service_url": "http://auth/graphql"}), client=http)


@pytest.mark.asyncio
async def test_a_live_key_becomes_a_partner_caller_with_the_keys_scopes(auth: AuthClient, settings: Settings) -> None:
    caller = await _checker(auth, settings).check(PARTNER_KEY)
    assert caller.kind is CallerKind.PARTNER
    assert (caller.subject, caller.role) == ("ptn-acme", "partner")
    # The fixture key was stored with knowledge:read, which keys may no longer carry: it is dropped.
    assert caller.scopes == frozenset({"support:write"})


@pytest.mark.asyncio
async def test_bad_keys_are_unauthenticated(auth: AuthClient, settings: Settings) -> None:
    checker = _checker(auth, settings)
    for bad in (REVOKED_KEY, "kcp_nope_nope", "garbage"):
        with pytest.raises(UnauthenticatedError) as refused:
            await checker.check(bad)
        assert refused.value.code is ErrorCode.UNAUTHENTICATED
        assert "Invalid or revoked" in str(refused.value)


@pytest.mark.asyncio
async def test_a_wrong_secret_or_none_cannot_check(auth: AuthClient, settings: Settings, tmp_path: Path) -> None:
    wrong = _checker(auth, settings.model_copy(update={"kcp_identity_secret": SecretStr("not-the-secret")}))
    with pytest.raises(UnauthenticatedError, match="could not be checked"):
        await wrong.check(PARTNER_KEY)
    with pytest.raises(UnauthenticatedError, match="KCP_IDENTITY_SECRET"):
        await AuthServiceApiKeys(Settings(kcp_data_dir=tmp_path)).check(PARTNER_KEY)


@pytest.mark.asyncio
async def test_an_unreachable_auth_service_is_a_clear_refusal(tmp_path: Path) -> None:
    settings = Settings(
        kcp_data_dir=tmp_path,
        kcp_identity_secret="s",  # noqa: S106 - test data
        auth_service_url="http://127.0.0.1:9/graphql",  # the discard port: nothing listens
    )
    with pytest.raises(UnauthenticatedError, match="could not be checked"):
        await AuthServiceApiKeys(settings).check(PARTNER_KEY)
