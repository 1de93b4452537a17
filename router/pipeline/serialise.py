"""The serialise stage: a response body as JSON bytes, with how HTTP caches may keep it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import orjson


@dataclass(frozen=True, slots=True)
class Answer:
    """A serialised response body and how HTTP caches may keep it."""

    body: bytes
    cache_control: str | None = None


def serialise(value: dict[str, Any], *, sort_keys: bool = False) -> bytes:
    """JSON as UTF-8 bytes.

    orjson writes the ~90 KB answers of nested queries ~10x faster than the standard library
    (0.05 ms against 0.5 ms, bench/gateways); the standard library still writes what orjson
    refuses (integers beyond 64 bits, which a client's variables may hold).
    """
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except orjson.JSONEncodeError:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"), sort_keys=sort_keys)
        return text.encode()
