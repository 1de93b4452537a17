"""DataLoaders of the users sub-domain, built once per request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

if TYPE_CHECKING:
    from collections.abc import Sequence

    from subgraphs.auth.tables import UserRow
    from subgraphs.auth.users.repository import UserRepository


def user_loader(repository: UserRepository) -> DataLoader[str, UserRow | None]:
    """Users by id: a batch of ``_entities`` representations costs one query."""

    async def load(ids: Sequence[str]) -> list[UserRow | None]:
        found = await repository.get_many(ids)
        return [found.get(user_id) for user_id in ids]

    return DataLoader(load_fn=load)
