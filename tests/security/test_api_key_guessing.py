"""Guessing partner API keys is throttled: after ten refused keys in a minute from one address,
that address's API-key requests get 429 ``RATE_LIMITED`` with ``Retry-After``, without the keys
being checked — even the right key, until the window moves on. A module of its own: every client
here shares 127.0.0.1, so the throttle would refuse the other modules' partner requests."""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING

import httpx
import pytest

from demo import people
from kcp.settings import PERSISTED_DIR
from router.policy.identity import API_KEY_FAILURES_ALLOWED

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

# A partner runs only documents of its manifest: its product card, by id.
MANIFEST = json.loads((PERSISTED_DIR / "ptn-audiohaus.json").read_text(encoding="utf-8"))
CARD_ID = next(operation["id"] for operation in MANIFEST["operations"] if operation["name"] == "ProductCard")
QUERY = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": CARD_ID}}, "variables": {"slug": "liberty-4-nc"}}


def with_key(url: str, key: str) -> httpx.Response:
    return httpx.post(url, json=QUERY, headers={"x-api-key": key}, timeout=30)


def code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def test_the_right_key_works_and_guessing_engages_the_throttle(platform: Platform) -> None:
    url = platform.router_url
    assert with_key(url, people.DEMO_API_KEY).status_code == 200

    guesses = [with_key(url, f"kcp_demo0001_{secrets.token_urlsafe(24)}") for _ in range(API_KEY_FAILURES_ALLOWED)]
    assert [(r.status_code, code(r)) for r in guesses] == [(401, "UNAUTHENTICATED")] * API_KEY_FAILURES_ALLOWED

    throttled = with_key(url, f"kcp_demo0001_{secrets.token_urlsafe(24)}")
    assert throttled.status_code == 429
    assert code(throttled) == "RATE_LIMITED"
    assert 1 <= int(throttled.headers["retry-after"]) <= 60
    assert throttled.json()["errors"][0]["extensions"]["limit"] == "invalidApiKeysPerMinute"
    # Locked out means locked out: a guess that happens to be right is not even checked.
    assert with_key(url, people.DEMO_API_KEY).status_code == 429
    # Requests without an API key are not the guesser's: they go on as before.
    assert httpx.post(url, json=QUERY, timeout=30).status_code == 200
