"""What can happen in auth, as recorded in the audit log."""

from __future__ import annotations

from enum import StrEnum


class AuditKind(StrEnum):
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    LOGIN_THROTTLED = "login_throttled"
    TOKEN_REFRESHED = "token_refreshed"  # noqa: S105 - an event name, not a secret
    REFRESH_TOKEN_REUSED = "refresh_token_reused"  # noqa: S105 - an event name; a rotated token came back, its family is revoked
    REFRESH_TOKENS_REVOKED = "refresh_tokens_revoked"  # logout, or an admin ending a user's sessions
    API_KEY_CREATED = "api_key_created"
    API_KEY_REVOKED = "api_key_revoked"
    PARTNER_CREATED = "partner_created"
    USER_CREATED = "user_created"
    USER_ROLE_CHANGED = "user_role_changed"
    USER_DEACTIVATED = "user_deactivated"
    USER_REACTIVATED = "user_reactivated"
    SIGNING_KEY_ROTATED = "signing_key_rotated"
    SIGNING_KEY_RETIRED = "signing_key_retired"
