"""Analytics suites act as signed callers: the router's identity headers, signed with a test secret."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from kcp.identity import Caller, CallerKind
from kcp.identity.signed_headers import identity_headers
from kcp.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

SECRET = "analytics-test-secret"  # noqa: S105 - a test fixture's signing secret


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(kcp_data_dir=tmp_path, kcp_identity_secret=SECRET)


def _headers(*scopes: str, subject: str = "usr-0001", kind: CallerKind = CallerKind.USER) -> dict[str, str]:
    role = "service" if kind is CallerKind.SERVICE else "analyst"
    return identity_headers(Caller(kind=kind, subject=subject, role=role, scopes=frozenset(scopes)), SECRET)


@pytest.fixture
def as_caller() -> Callable[..., dict[str, str]]:
    """``as_caller("analytics:read", subject=..., kind=...)``: headers that make a request that caller's."""
    return _headers


@pytest.fixture
def service_headers() -> dict[str, str]:
    """A service (support, content) reporting server-side events."""
    return _headers("analytics:write", subject="support", kind=CallerKind.SERVICE)
