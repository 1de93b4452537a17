"""Auth's share of the demo data: partners, their keys in every state, deactivated accounts."""

from __future__ import annotations

import demo
from demo import people


def test_partners_people_and_keys() -> None:
    data = demo.generate()
    users = {u.id: u for u in data.users}
    assert [p.id for p in data.partners] == [p for p, _, _ in people.PARTNERS]
    members = [m for p in data.partners for m in p.member_ids]
    assert sorted(members) == sorted(u.id for u in data.users if u.role == "partner")  # each in exactly one
    audiohaus = data.partners[0]
    assert users[audiohaus.member_ids[0]].email == "partner@soundcore.example"
    keys = [k for p in data.partners for k in p.api_keys]
    assert len({k.id for k in keys}) == len(keys)
    assert all(k.key.startswith(f"kcp_{k.id}_") and "_" not in k.id for k in keys)
    assert any(k.key == people.DEMO_API_KEY and k.revoked_at is None for k in audiohaus.api_keys)
    assert any(k.revoked_at is not None for k in keys)
    assert any(k.last_used_at is None for k in keys)
    assert any(k.last_used_at is not None for k in keys)
    assert all(users[k.created_by].role == "admin" for k in keys)


def test_deactivated_accounts_are_generated_customers() -> None:
    data = demo.generate()
    users = {u.id: u for u in data.users}
    fixed = {email for email, _, _ in people.FIXED_USERS}
    assert len(data.deactivated_user_ids) == people.DEACTIVATED_CUSTOMERS
    for user_id in data.deactivated_user_ids:
        assert users[user_id].role == "customer"
        assert users[user_id].email not in fixed
