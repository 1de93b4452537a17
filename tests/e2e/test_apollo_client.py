"""A real client: Apollo Client with its persisted-queries link, run by Node against the router.

It shows the automatic-persisted-query round trip (hash only, PersistedQueryNotFound, then hash +
text, then hash only) and a partner calling a trusted document of its manifest by id with its
API key, refused for anything outside the manifest.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import demo
from kcp.settings import PERSISTED_DIR

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

CLIENT = Path(__file__).parent / "apollo_client"
PARTNER = "ptn-audiohaus"
PARTNER_KEY = "kcp_demo0001_audiohaus-demo-key-not-secret-2026"  # the published demo key (README)


def run_client(url: str) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (CLIENT / "node_modules" / "@apollo" / "client").is_dir():
        reason = f"Apollo Client is not installed (node on PATH and `npm ci --prefix {CLIENT}`)"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI must run it, never skip it
        pytest.skip(reason)
    manifest = Path.cwd() / PERSISTED_DIR / f"{PARTNER}.json"
    completed = subprocess.run(
        [node, str(CLIENT / "check.mjs"), url, str(manifest), PARTNER_KEY],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def test_apollo_client_apq_round_trip_and_a_partner_trusted_document(platform: Platform) -> None:
    name = next(p.name for p in demo.generate().products if p.slug == "liberty-4-nc")
    result = run_client(platform.router_url)

    apq = result["apq"]
    assert apq["first"]["productBySlug"]["name"] == name
    assert apq["second"] == apq["first"]
    # First time: the hash alone is unknown (PersistedQueryNotFound), so the link sends the text.
    assert [(r["hasQuery"], r["status"]) for r in apq["firstRound"]] == [(False, 200), (True, 200)]
    assert apq["firstRound"][0]["method"] == "GET"
    # From then on the hash alone is enough, over GET (cacheable by a CDN).
    assert apq["secondRound"] == [{"method": "GET", "hasQuery": False, "status": 200}]

    partner = result["partner"]
    assert partner["card"]["productBySlug"]["name"] == name
    assert [(r["method"], r["hasQuery"]) for r in partner["round"]] == [("GET", False)]
    assert partner["card"]["productBySlug"]["__typename"] == "Product"
    assert partner["cachedCard"] == partner["card"]
    assert partner["cachedRound"] == []  # answered by Apollo Client's cache
    assert partner["unlisted"]["refused"] is True
    assert "manifest" in partner["unlisted"]["message"]
