"""DataLoaders of the users sub-domain, built once per request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.batching import grouped_records, values_by_id
from subgraphs.auth.users.repository import UserRepository
from subgraphs.auth.users.types import User

if TYPE_CHECKING:
    from strawberry.dataloader import DataLoader

    from kcp.stores.relational import RelationalStore
    from subgraphs.auth.tables import UserRow


def user_loader(store: RelationalStore) -> DataLoader[str, UserRow | None]:
    """Users by id: a batch of ``_entities`` representations costs one query."""

    async def fetch(ids: list[str]) -> dict[str, UserRow]:
        async with store.reading() as session:
            return await UserRepository(session).get_many(ids)

    return values_by_id(fetch, None)


def partner_members_loader(store: RelationalStore) -> DataLoader[str, list[User]]:
    """The users of each partner, for a page of partners in one query, as API ``User`` objects:
    ``Partner.members`` returns them as they are, so the partners' types need not import ours."""

    async def fetch(partner_ids: list[str]) -> list[User]:
        async with store.reading() as session:
            rows = await UserRepository(session).members_of(partner_ids)
        return [User.from_model(row) for row in rows]

    # members_of returns only users of the asked partners, so partner_id is never None here.
    return grouped_records(fetch, lambda user: str(user.partner_id))
