"""The one place where roles map to scopes.

A scope is ``<domain>:<action>``; tokens carry the scopes of the user's role at login time.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    SUPPORT_AGENT = "support_agent"
    ANALYST = "analyst"
    PARTNER = "partner"
    CUSTOMER = "customer"


KNOWLEDGE_READ = "knowledge:read"
KNOWLEDGE_WRITE = "knowledge:write"
CONTENT_READ = "content:read"
CONTENT_WRITE = "content:write"
CONTENT_REVIEW = "content:review"
SUPPORT_READ = "support:read"
SUPPORT_WRITE = "support:write"
SUPPORT_OWN = "support:own"  # a customer's own tickets only
ANALYTICS_READ = "analytics:read"
ANALYTICS_WRITE = "analytics:write"
USERS_READ = "users:read"
USERS_ADMIN = "users:admin"
PARTNER_KEYS = "partner:keys"  # manage the API keys of one's own partner organisation

ALL_SCOPES: frozenset[str] = frozenset(
    {
        KNOWLEDGE_READ,
        KNOWLEDGE_WRITE,
        CONTENT_READ,
        CONTENT_WRITE,
        CONTENT_REVIEW,
        SUPPORT_READ,
        SUPPORT_WRITE,
        SUPPORT_OWN,
        ANALYTICS_READ,
        ANALYTICS_WRITE,
        USERS_READ,
        USERS_ADMIN,
        PARTNER_KEYS,
    }
)

# What a partner's API key may carry: reading content, and the two things integrations write
# (tickets and analytics events). Never personal data or administration, and never knowledge:read:
# published knowledge is public, and that scope opens drafts and version histories.
API_KEY_SCOPES: frozenset[str] = frozenset({CONTENT_READ, SUPPORT_WRITE, ANALYTICS_WRITE})

ROLE_SCOPES: dict[Role, frozenset[str]] = {
    Role.ADMIN: ALL_SCOPES,
    Role.EDITOR: frozenset(
        {KNOWLEDGE_READ, KNOWLEDGE_WRITE, CONTENT_READ, CONTENT_WRITE, CONTENT_REVIEW, ANALYTICS_READ}
    ),
    Role.SUPPORT_AGENT: frozenset({KNOWLEDGE_READ, CONTENT_READ, SUPPORT_READ, SUPPORT_WRITE, USERS_READ}),
    Role.ANALYST: frozenset({KNOWLEDGE_READ, CONTENT_READ, SUPPORT_READ, ANALYTICS_READ, USERS_READ}),
    Role.PARTNER: frozenset({CONTENT_READ, PARTNER_KEYS}),
    # Customers and partners read published knowledge like anyone; knowledge:read opens drafts.
    Role.CUSTOMER: frozenset({SUPPORT_OWN}),
}


def scopes_for(role: Role) -> list[str]:
    """The role's scopes, sorted so tokens and API answers are stable."""
    return sorted(ROLE_SCOPES[role])
