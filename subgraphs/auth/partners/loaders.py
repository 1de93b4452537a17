"""DataLoaders of the partners sub-domain, built once per request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from subgraphs.auth.partners.repository import PartnerRepository

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.stores.relational import RelationalStore
    from subgraphs.auth.tables import ApiKeyRow, PartnerRow


def partner_loader(store: RelationalStore) -> DataLoader[str, PartnerRow | None]:
    async def load(ids: Sequence[str]) -> list[PartnerRow | None]:
        async with store.reading() as session:
            found = await PartnerRepository(session).get_many(ids)
        return [found.get(partner_id) for partner_id in ids]

    return DataLoader(load_fn=load)


def api_keys_loader(store: RelationalStore) -> DataLoader[str, list[ApiKeyRow]]:
    """The keys of each partner, for a page of partners in one query."""

    async def load(partner_ids: Sequence[str]) -> list[list[ApiKeyRow]]:
        async with store.reading() as session:
            rows = await PartnerRepository(session).keys_of(partner_ids)
        return [[row for row in rows if row.partner_id == partner_id] for partner_id in partner_ids]

    return DataLoader(load_fn=load)
