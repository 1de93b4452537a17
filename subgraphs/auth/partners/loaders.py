"""DataLoaders of the partners sub-domain, built once per request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.batching import grouped_records, values_by_id
from subgraphs.auth.partners.repository import PartnerRepository

if TYPE_CHECKING:
    from strawberry.dataloader import DataLoader

    from kcp.stores.relational import RelationalStore
    from subgraphs.auth.tables import ApiKeyRow, PartnerRow


def partner_loader(store: RelationalStore) -> DataLoader[str, PartnerRow | None]:
    async def fetch(ids: list[str]) -> dict[str, PartnerRow]:
        async with store.reading() as session:
            return await PartnerRepository(session).get_many(ids)

    return values_by_id(fetch, None)


def api_keys_loader(store: RelationalStore) -> DataLoader[str, list[ApiKeyRow]]:
    """The keys of each partner, for a page of partners in one query."""

    async def fetch(partner_ids: list[str]) -> list[ApiKeyRow]:
        async with store.reading() as session:
            return await PartnerRepository(session).keys_of(partner_ids)

    return grouped_records(fetch, lambda row: row.partner_id)
