"""Expected failures of the users sub-domain."""

from __future__ import annotations

from kcp.errors import KcpError, UnauthenticatedError


class InvalidCredentialsError(UnauthenticatedError):
    """Unknown e-mail, wrong password or disabled account: deliberately indistinguishable."""

    def __init__(self) -> None:
        super().__init__("Invalid email or password")


class InvalidUserQueryError(KcpError):
    """A user query argument outside its bounds (code BAD_USER_INPUT)."""
