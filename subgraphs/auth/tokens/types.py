"""The GraphQL view of the signing keys."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads annotations at runtime
from typing import TYPE_CHECKING

import strawberry

if TYPE_CHECKING:
    from subgraphs.auth.tokens.keys import SigningKey


@strawberry.type(description="A key of the JWKS; the newest signs new access tokens.")
class SigningKeyInfo:
    kid: str
    created_at: datetime
    signing: bool

    @classmethod
    def from_model(cls, key: SigningKey, *, signing: bool) -> SigningKeyInfo:
        return cls(kid=key.kid, created_at=key.created_at, signing=signing)
