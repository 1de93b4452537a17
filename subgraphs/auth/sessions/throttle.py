"""Login throttling: too many recent failures lock an account, and (more loosely) an address.

Counted from the audit log's ``login_failed`` events, so the count is shared by every auth
process and survives a restart. A lock lasts until enough failures have left the window; a
successful login clears the account's count (not the address's: owning one account must not
let an address guess at others). Refused attempts are not failures, so hammering a locked
account does not extend its lock, and no password is verified while locked (argon2 costs CPU).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from subgraphs.auth.audit.kinds import AuditKind

if TYPE_CHECKING:
    from datetime import datetime

    from subgraphs.auth.audit.repository import AuditRepository


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=15)
    per_account: int = 5
    # Higher: many people may share one address (an office, a carrier's NAT).
    per_address: int = 30


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


async def retry_after(
    audit: AuditRepository, policy: ThrottlePolicy, *, email: str, address: str | None, now: datetime
) -> int | None:
    """Seconds until a login for ``email`` from ``address`` is allowed again; None when it is now."""
    since = now - policy.window
    waits: list[int] = []
    failures: list[datetime] = []
    for event in await audit.recent_logins_for_email(email, since):
        if event.kind == AuditKind.LOGIN_SUCCEEDED:
            break
        failures.append(event.occurred_at)
    if len(failures) >= policy.per_account:
        # Allowed again once only per_account - 1 failures remain in the window.
        waits.append(_seconds_until(failures[policy.per_account - 1] + policy.window, now))
    if address is not None:
        from_address = await audit.recent_failures_from(address, since, policy.per_address)
        if len(from_address) >= policy.per_address:
            waits.append(_seconds_until(from_address[policy.per_address - 1] + policy.window, now))
    return max(waits) if waits else None
