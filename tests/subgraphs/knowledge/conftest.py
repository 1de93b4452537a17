"""Fixtures: an app seeded with the small dataset, in a data folder of its own per test."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest_asyncio
from knowledge_support import Api, RecordingProgress, serve, small_demo

from kcp.settings import Settings
from subgraphs.knowledge.seed import seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path


@pytest_asyncio.fixture
async def settings(tmp_path: Path) -> Settings:
    return Settings(kcp_data_dir=tmp_path)


@pytest_asyncio.fixture
async def api(settings: Settings) -> AsyncIterator[Api]:
    await seed(settings, small_demo(), RecordingProgress())
    async for served in serve(settings):
        yield served
