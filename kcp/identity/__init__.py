"""Who is calling: one ``Caller`` per request, proven by a token or by the router's signed headers.

Every subgraph builds its request context with ``IdentityResolver`` and checks scopes with
``Identity.require(...)``; the router (the policy stage) uses the same verifier and signer.
"""

from kcp.identity.caller import ANONYMOUS, Caller, CallerKind, Identity
from kcp.identity.resolve import IdentityResolver

__all__ = ["ANONYMOUS", "Caller", "CallerKind", "Identity", "IdentityResolver"]
