"""Record digests: one SHA-256 per record, gathered per table or collection.

A store's content is compared as multisets of record digests: the manifest keeps each table's
count and a checksum over its sorted digests, and the drill compares every digest before and after
a restore, so a mismatch is counted in records, not only in tables. Records are canonical JSON
(keys sorted, non-JSON values as text) before hashing, so equal content digests equally whatever
order the store returns rows in.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping


def record_digest(record: Any) -> bytes:
    """The SHA-256 of ``record`` as canonical JSON."""
    text = json.dumps(record, sort_keys=True, default=str, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).digest()


@dataclass
class RecordSet:
    """The digests of one table's (or collection's) records."""

    digests: Counter[bytes] = field(default_factory=Counter)

    @classmethod
    def of(cls, records: Iterable[Any]) -> RecordSet:
        return cls(Counter(record_digest(record) for record in records))

    @property
    def count(self) -> int:
        return sum(self.digests.values())

    @property
    def checksum(self) -> str:
        """SHA-256 over the sorted digests: equal for equal content in any order."""
        total = hashlib.sha256()
        for digest in sorted(self.digests.elements()):
            total.update(digest)
        return total.hexdigest()


Fingerprint = dict[str, RecordSet]
"""A store's record sets by table or collection name."""


def summary(fingerprint: Mapping[str, RecordSet]) -> dict[str, dict[str, Any]]:
    """What the manifest keeps of a fingerprint: each table's count and checksum."""
    return {
        name: {"count": records.count, "checksum": records.checksum} for name, records in sorted(fingerprint.items())
    }


def mismatched_records(before: Mapping[str, RecordSet], after: Mapping[str, RecordSet]) -> int:
    """How many records differ between two fingerprints: missing, extra or changed (a changed
    record counts twice, as the old one missing and the new one extra)."""
    mismatches = 0
    for name in before.keys() | after.keys():
        old = before.get(name, RecordSet()).digests
        new = after.get(name, RecordSet()).digests
        mismatches += sum((old - new).values()) + sum((new - old).values())
    return mismatches
