"""Knowledge relations derived from the catalog and the issues: firmware, affected firmware, accessories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from demo.model import DemoFirmware

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

    from demo.model import DemoKnownIssue, DemoProduct

ACCESSORY_CATEGORY = "cat-accessories"


def firmware_records(
    products: Sequence[DemoProduct], release_dates: Mapping[str, Sequence[datetime]]
) -> tuple[DemoFirmware, ...]:
    """One record per product and firmware version, released on the given dates (oldest first)."""
    return tuple(
        DemoFirmware(id=f"{product.id}@{version}", product_id=product.id, version=version, released_at=released)
        for product in products
        for version, released in zip(product.firmware_versions, release_dates[product.id], strict=True)
    )


def affected_firmware(
    issues: Sequence[DemoKnownIssue], affected_by: Sequence[tuple[str, str]], firmware: Sequence[DemoFirmware]
) -> tuple[tuple[str, str], ...]:
    """(issue, firmware) for the firmware each affected product ran when the issue was reported.

    That is the newest version released before the report, or the first one for an issue found
    at launch; an issue reported on a product's second firmware or later also affects the one
    before it (it was seen on both in the field).
    """
    reported = {issue.id: issue.reported_at for issue in issues}
    by_product: dict[str, list[DemoFirmware]] = {}
    for record in firmware:
        by_product.setdefault(record.product_id, []).append(record)
    pairs: dict[tuple[str, str], None] = {}
    for product_id, issue_id in affected_by:
        versions = sorted(by_product.get(product_id, ()), key=lambda record: record.released_at)
        if not versions:
            continue
        current = max((i for i, v in enumerate(versions) if v.released_at <= reported[issue_id]), default=0)
        for index in range(max(current - 1, 0), current + 1):
            pairs[(issue_id, versions[index].id)] = None
    return tuple(pairs)


def accessory_links(
    products: Sequence[DemoProduct], compatible_with: Sequence[tuple[str, str]]
) -> tuple[tuple[str, str], ...]:
    """(accessory, device) for every compatibility recorded from an accessory."""
    accessories = {product.id for product in products if product.category_id == ACCESSORY_CATEGORY}
    return tuple((source, target) for source, target in compatible_with if source in accessories)
