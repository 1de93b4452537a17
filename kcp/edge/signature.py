"""The router's signature over each request it sends a subgraph, so a subgraph can accept only it.

``x-kcp-router-signature: t=<unix seconds>,v1=<hex>``, where the hex is HMAC-SHA256 under
``KCP_IDENTITY_SECRET`` of ``t``, the request's path and its body (``<t>\\n<path>\\n<body>``), in
the style of the identity headers (``kcp.identity.signed_headers``). A subgraph that requires it
(``KCP_PRODUCTION=true`` or ``KCP_SUBGRAPH_REQUIRE_ROUTER_SIGNATURE=true``) checks it on the raw
bytes before parsing anything: missing is 401 ``UNAUTHENTICATED``; malformed, wrong or older
(or newer) than ``MAX_SKEW_SECONDS`` is 403 ``FORBIDDEN``. Every KCP process that calls a
subgraph (the router, service events, auth's key check, content's facts) signs alike.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

from kcp.edge.refusal import Refusal
from kcp.errors import ErrorCode

ROUTER_SIGNATURE_HEADER = "x-kcp-router-signature"
MAX_SKEW_SECONDS = 60


def _digest(secret: str, timestamp: int, path: str, body: bytes) -> str:
    message = f"{timestamp}\n{path}\n".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_headers(secret: str, url: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    """The header that signs ``body`` sent to ``url`` (its path is signed, not its host)."""
    timestamp = int(time.time() if now is None else now)
    path = urlsplit(url).path or "/"
    return {ROUTER_SIGNATURE_HEADER: f"t={timestamp},v1={_digest(secret, timestamp, path, body)}"}


def check_signature(header: str | None, secret: str, path: str, body: bytes, *, now: float | None = None) -> None:
    """Nothing when ``header`` signs ``body`` for ``path`` recently; a ``Refusal`` (401/403) otherwise."""
    if not header:
        msg = f"this service accepts only requests signed by the router ({ROUTER_SIGNATURE_HEADER})"
        raise Refusal.bad_request(msg, ErrorCode.UNAUTHENTICATED, status=401)
    fields = dict(part.partition("=")[::2] for part in header.split(","))
    timestamp, signature = fields.get("t", ""), fields.get("v1", "")
    if not timestamp.isdigit() or not signature:
        raise Refusal.bad_request("the router signature is malformed", ErrorCode.FORBIDDEN, status=403)
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_SKEW_SECONDS:
        raise Refusal.bad_request("the router signature is stale", ErrorCode.FORBIDDEN, status=403)
    if not hmac.compare_digest(signature, _digest(secret, int(timestamp), path, body)):
        raise Refusal.bad_request("the router signature does not match", ErrorCode.FORBIDDEN, status=403)


def signed_json(url: str, payload: object, secret: str | None) -> tuple[bytes, dict[str, str]]:
    """A JSON body for ``url`` and its headers: the content type, and the signature when ``secret`` is set.

    For the KCP services that call a subgraph with httpx (``content=``, ``headers=``).
    """
    body = json.dumps(payload, separators=(",", ":")).encode()
    headers = {"content-type": "application/json"}
    if secret is not None:
        headers.update(signature_headers(secret, url, body))
    return body, headers
