"""``GET /.well-known/jwks.json``: the public keys that verify access tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import JSONResponse
from starlette.routing import Route

from kcp.identity.tokens import JWKS_PATH

if TYPE_CHECKING:
    from starlette.requests import Request

    from subgraphs.auth.tokens.keys import KeyRing


def jwks_route(keys: KeyRing) -> Route:
    async def jwks(_request: Request) -> JSONResponse:
        # Short cache: verifiers refetch soon after a key rotation (and at once on an unknown kid).
        return JSONResponse(keys.jwks(), headers={"Cache-Control": "public, max-age=300"})

    return Route(JWKS_PATH, jwks, methods=["GET"])
