"""``GET /.well-known/jwks.json``: the public key that verifies access tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import JSONResponse
from starlette.routing import Route

if TYPE_CHECKING:
    from starlette.requests import Request

    from subgraphs.auth.tokens.service import TokenService

JWKS_PATH = "/.well-known/jwks.json"


def jwks_route(tokens: TokenService) -> Route:
    async def jwks(_request: Request) -> JSONResponse:
        # Short cache: verifiers refetch soon after a key rotation.
        return JSONResponse(tokens.jwks(), headers={"Cache-Control": "public, max-age=300"})

    return Route(JWKS_PATH, jwks, methods=["GET"])
