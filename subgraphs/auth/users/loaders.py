"""DataLoaders of the users sub-domain, built once per request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from subgraphs.auth.users.repository import UserRepository

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.stores.relational import RelationalStore
    from subgraphs.auth.tables import UserRow


def user_loader(store: RelationalStore) -> DataLoader[str, UserRow | None]:
    """Users by id: a batch of ``_entities`` representations costs one query."""

    async def load(ids: Sequence[str]) -> list[UserRow | None]:
        async with store.reading() as session:
            found = await UserRepository(session).get_many(ids)
        return [found.get(user_id) for user_id in ids]

    return DataLoader(load_fn=load)


def partner_members_loader(store: RelationalStore) -> DataLoader[str, list[UserRow]]:
    """The users of each partner, for a page of partners in one query."""

    async def load(partner_ids: Sequence[str]) -> list[list[UserRow]]:
        async with store.reading() as session:
            rows = await UserRepository(session).members_of(partner_ids)
        return [[row for row in rows if row.partner_id == partner_id] for partner_id in partner_ids]

    return DataLoader(load_fn=load)
