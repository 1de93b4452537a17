"""Expected failures of logging in and refreshing."""

from __future__ import annotations

from kcp.errors import ErrorCode, KcpError, UnauthenticatedError


class InvalidCredentialsError(UnauthenticatedError):
    """Unknown e-mail, wrong password or deactivated account: deliberately indistinguishable."""

    def __init__(self) -> None:
        super().__init__("Invalid email or password")


class LoginThrottledError(KcpError):
    """Too many failed logins for the account or from the address (code RATE_LIMITED)."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"Too many failed logins; try again in {retry_after_seconds} seconds")
        self.retry_after_seconds = retry_after_seconds
        self.extensions["retryAfterSeconds"] = retry_after_seconds


class InvalidRefreshTokenError(UnauthenticatedError):
    def __init__(self, reason: str = "Invalid refresh token; log in again") -> None:
        super().__init__(reason)
