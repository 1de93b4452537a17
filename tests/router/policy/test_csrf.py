"""Requests a browser could forge cross-site are refused; everything a real client sends passes."""

from __future__ import annotations

import pytest

from router.policy.csrf import csrf_refusal


@pytest.mark.parametrize(
    "headers",
    [
        {},  # a GET from an <img> or a link
        {"content-type": "text/plain"},
        {"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
        {"content-type": "multipart/form-data; boundary=x"},
        {"content-type": "text/plain", "apollo-require-preflight": "  "},
    ],
)
def test_simple_requests_are_refused(headers: dict[str, str]) -> None:
    refused = csrf_refusal(headers)
    assert refused is not None
    assert refused.status == 400
    assert refused.errors[0]["extensions"]["code"] == "CSRF_PREVENTED"
    assert "Cross-Site Request Forgery" in refused.errors[0]["message"]


@pytest.mark.parametrize(
    "headers",
    [
        {"content-type": "application/json"},
        {"content-type": "application/graphql-response+json"},
        {"apollo-require-preflight": "true"},
        {"x-apollo-operation-name": "ProductCard"},
        {"content-type": "text/plain", "x-apollo-operation-name": "ProductCard"},
    ],
)
def test_preflighted_requests_pass(headers: dict[str, str]) -> None:
    assert csrf_refusal(headers) is None
