"""Fixtures: the auth app seeded with the small dataset, in a data folder of its own per test."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import pytest_asyncio
from argon2 import PasswordHasher
from auth_support import IDENTITY_SECRET, AuthClient, MovableClock, small_data

from kcp.settings import Settings
from subgraphs.auth.app import create_app
from subgraphs.auth.seed import seed
from subgraphs.auth.users.passwords import PasswordService

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path


def fast_passwords() -> PasswordService:
    """Still argon2id, the service's own code path, with the cheapest parameters: the defaults
    (64 MiB, 3 passes) cost ~0.5 s a login on a busy two-core machine, and these tests log in a lot."""
    return PasswordService(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(kcp_data_dir=tmp_path, kcp_identity_secret=IDENTITY_SECRET)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest_asyncio.fixture
async def auth(settings: Settings, new_progress, graphql_app, clock: MovableClock) -> AsyncIterator[AuthClient]:
    await seed(settings, small_data(), new_progress(), passwords=fast_passwords())
    app = create_app(settings, clock=clock, passwords=fast_passwords())
    async with graphql_app(app, base_url="http://auth") as api:
        yield AuthClient(api, settings)
