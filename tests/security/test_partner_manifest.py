"""A partner (API-key caller) runs only the documents of its own persisted manifest: free text, a
document of the manifest with one field more, and an id that is not in its manifest are refused
with ``PERSISTED_QUERY_NOT_IN_LIST`` and nothing is executed; a manifest document runs, by id or
by its exact text."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from demo import people
from kcp.settings import PERSISTED_DIR

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

MANIFEST = json.loads((PERSISTED_DIR / "ptn-audiohaus.json").read_text(encoding="utf-8"))
CARD = next(operation for operation in MANIFEST["operations"] if operation["name"] == "ProductCard")
PARTNER = {"x-api-key": people.DEMO_API_KEY}


def post(platform: Platform, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(platform.router_url, json=body, headers=PARTNER, timeout=30)


def persisted(digest: str, **extra: Any) -> dict[str, Any]:
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}, **extra}


def codes(response: httpx.Response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json().get("errors", [])]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(persisted(CARD["id"], variables={"slug": "liberty-4-nc"}), id="by id"),
        # The text hashes to a document of its manifest: the same document, so it runs.
        pytest.param({"query": CARD["body"], "variables": {"slug": "liberty-4-nc"}}, id="its exact text"),
    ],
)
def test_a_document_of_its_manifest_runs(platform: Platform, body: dict[str, Any]) -> None:
    response = post(platform, body)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["productBySlug"]["slug"] == "liberty-4-nc"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"query": "{ users(first: 5) { edges { node { email } } } }"}, id="free text"),
        pytest.param(
            persisted(
                hashlib.sha256(CARD["body"].replace("priceCents", "priceCents\n  description").encode()).hexdigest(),
                query=CARD["body"].replace("priceCents", "priceCents\n  description"),
            ),
            id="a manifest document with a field more, as APQ",
        ),
        pytest.param(persisted("0" * 64), id="an id outside the manifest"),
    ],
)
def test_anything_outside_its_manifest_is_refused(platform: Platform, body: dict[str, Any]) -> None:
    response = post(platform, body)
    assert response.status_code in {400, 403}, response.text
    assert codes(response) == ["PERSISTED_QUERY_NOT_IN_LIST"]
    assert not response.json().get("data")
