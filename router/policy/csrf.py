"""Apollo-style CSRF prevention: refuse requests a browser could send cross-site without a preflight.

A cross-site page can make a browser send a "simple" request — GET, or POST with a
``text/plain``, form or multipart body — carrying the user's ambient credentials, without asking
the server first. Such a request is only accepted when it carries a header a browser adds only
after a CORS preflight: a ``Content-Type`` other than the simple ones, or one of
``REQUIRED_HEADERS``. Non-browser clients (curl, Apollo Client, partners' servers) send one of
these anyway. Same rule and message as Apollo Server and Apollo Router.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.errors import ErrorCode
from router.errors import RouterError

if TYPE_CHECKING:
    from collections.abc import Mapping

SIMPLE_CONTENT_TYPES = frozenset({"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"})
REQUIRED_HEADERS = ("x-apollo-operation-name", "apollo-require-preflight")


def csrf_refusal(headers: Mapping[str, str]) -> RouterError | None:
    """A 400 refusal for a request that could be a cross-site forgery; None when it cannot be."""
    content_type = headers.get("content-type")
    if content_type is not None:
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type not in SIMPLE_CONTENT_TYPES:
            return None
    if any(headers.get(name, "").strip() for name in REQUIRED_HEADERS):
        return None
    message = (
        "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Please either "
        "specify a 'content-type' header (with a type that is not one of "
        f"{', '.join(sorted(SIMPLE_CONTENT_TYPES))}) or provide a non-empty value for one of the "
        f"following headers: {', '.join(REQUIRED_HEADERS)}"
    )
    return RouterError.of(message, ErrorCode.CSRF_PREVENTED)
