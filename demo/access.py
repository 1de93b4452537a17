"""Who may call the platform besides people logging in: partner organisations with their API keys,
and the accounts an admin has deactivated (auth's share of the demo data)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from demo import people
from demo.model import DemoApiKey, DemoPartner

if TYPE_CHECKING:
    import random
    from collections.abc import Sequence

    from demo.model import DemoUser

# What partner integrations do: read content (published knowledge is public), open tickets, send events.
_READ_SCOPES = ("content:read",)
_INTEGRATION_SCOPES = ("analytics:write", "content:read", "support:write")


def _key_id(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(12))


def _secret(rng: random.Random) -> str:
    # Deterministic, so every machine seeds the same keys: these are demo keys, published like
    # the demo password. Real keys come from `secrets` in the auth subgraph.
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))


def _key(  # noqa: PLR0913, PLR0917 - one parameter per field the caller chooses
    rng: random.Random,
    partner_created: datetime,
    admins: list[str],
    name: str,
    scopes: tuple[str, ...],
    revoked: bool,  # noqa: FBT001 - positional from the spec tuple
    value: str | None,
) -> DemoApiKey:
    key_id = _key_id(rng) if value is None else value.split("_")[1]
    at = partner_created + timedelta(days=rng.randrange(5, 300), seconds=rng.randrange(86_400))
    used = at + timedelta(days=rng.randrange(1, 9))
    return DemoApiKey(
        id=key_id,
        name=name,
        key=value or f"kcp_{key_id}_{_secret(rng)}",
        scopes=scopes,
        created_at=at,
        created_by=rng.choice(admins),
        revoked_at=at + timedelta(days=rng.randrange(10, 60)) if revoked else None,
        # A revoked key may never have been used at all; an active one has been.
        last_used_at=None if revoked else used,
    )


def build_partners(users: Sequence[DemoUser], rng: random.Random) -> tuple[DemoPartner, ...]:
    """Five partners; each has an active integration key, AudioHaus also the README's demo key,
    a read-only key and a revoked one, so every key state is in the data."""
    admins = [u.id for u in users if u.role == "admin"]
    fixed_partner = next(u.id for u in users if u.email == "partner@soundcore.example")
    partners: list[DemoPartner] = []
    for index, (partner_id, name, domain) in enumerate(people.PARTNERS):
        created = datetime(2024, 2, 1, tzinfo=UTC) + timedelta(days=9 * index)
        members = [u.id for u in users if u.role == "partner" and u.email.endswith("@" + domain)]
        if index == 0:
            members.insert(0, fixed_partner)
        wanted: list[tuple[str, tuple[str, ...], bool, str | None]] = (
            [
                ("Demo integration", _INTEGRATION_SCOPES, False, people.DEMO_API_KEY),
                ("Catalogue feed (read only)", _READ_SCOPES, False, None),
                ("Old storefront sync", _INTEGRATION_SCOPES, True, None),
            ]
            if index == 0
            else [(f"{name} integration", _INTEGRATION_SCOPES, False, None)]
        )
        keys = tuple(_key(rng, created, admins, *spec) for spec in wanted)
        partners.append(DemoPartner(partner_id, name, domain, created, tuple(members), keys))
    return tuple(partners)


def deactivated_users(users: Sequence[DemoUser], rng: random.Random) -> tuple[str, ...]:
    """A few generated customers (never one of the fixed demo logins) whose accounts are closed."""
    fixed = {email for email, _, _ in people.FIXED_USERS}
    customers = [u.id for u in users if u.role == "customer" and u.email not in fixed]
    return tuple(sorted(rng.sample(customers, people.DEACTIVATED_CUSTOMERS)))
