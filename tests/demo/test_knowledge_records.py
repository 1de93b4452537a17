"""The demo's knowledge extras: article histories and statuses, firmware, affected firmware, accessories."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

import demo

if TYPE_CHECKING:
    from demo.model import DemoArticleVersion


def test_every_article_status_appears_and_each_article_equals_its_latest_version() -> None:
    data = demo.generate()
    assert set(Counter(a.status for a in data.articles)) == {"draft", "review", "published", "archived"}
    history: dict[str, list[DemoArticleVersion]] = defaultdict(list)
    for version in data.article_versions:
        history[version.article_id].append(version)
    editors = {u.id for u in data.users if u.role == "editor"}
    assert set(history) == {a.id for a in data.articles}
    for article in data.articles:
        versions = history[article.id]
        assert [v.number for v in versions] == list(range(1, len(versions) + 1))
        assert versions[0].change == "created"
        assert versions[0].status == "draft"
        latest = versions[-1]
        assert (latest.title, latest.body, latest.status) == (article.title, article.body, article.status)
        assert [v.created_at for v in versions] == sorted(v.created_at for v in versions)
        assert {v.author_id for v in versions} <= editors
    assert {v.change for v in data.article_versions} == {"created", "edited", "status_changed"}


def test_firmware_affected_firmware_and_accessories_refer_to_real_records() -> None:
    data = demo.generate()
    products = {p.id: p for p in data.products}
    firmware = {f.id: f for f in data.firmware}
    assert len(firmware) == sum(len(p.firmware_versions) for p in data.products)
    for record in data.firmware:
        assert record.version in products[record.product_id].firmware_versions
        assert record.released_at >= products[record.product_id].released_at
    affected = set(data.affected_by)
    assert data.affects_firmware
    for issue_id, firmware_id in data.affects_firmware:
        assert (firmware[firmware_id].product_id, issue_id) in affected
    assert data.accessory_for
    for accessory, device in data.accessory_for:
        assert products[accessory].category_id == "cat-accessories"
        assert products[device].category_id != "cat-accessories"
