"""Fixtures: the auth app seeded with the small dataset, in a data folder of its own per test."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import pytest_asyncio
from auth_support import IDENTITY_SECRET, AuthClient, MovableClock, fast_passwords, small_data

from kcp.settings import Settings
from subgraphs.auth.app import create_app
from subgraphs.auth.seed import seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path


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
