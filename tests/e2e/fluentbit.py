"""Reads Fluent Bit's classic configuration format and applies the KCP JSON parser to a line the
way Fluent Bit's ``json`` parser with ``Time_Key``/``Time_Format`` does.

Fluent Bit has no Debian package here, so its parser is emulated: the line must be one JSON
object, and its ``Time_Key`` value must match ``Time_Format`` (``%L`` being the fraction of a
second); a line that fails either would reach Elasticsearch unparsed or with the wrong time.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

FLUENT_BIT = Path(__file__).resolve().parents[2] / "monitoring" / "fluent-bit"


def sections(path: Path) -> list[tuple[str, dict[str, str]]]:
    """Each ``[SECTION]`` with its keys (lower-cased), in file order."""
    found: list[tuple[str, dict[str, str]]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            found.append((line[1:-1].upper(), {}))
            continue
        key, _, value = line.partition(" ")
        found[-1][1][key.lower()] = value.strip()
    return found


def parser(name: str) -> dict[str, str]:
    for kind, keys in sections(FLUENT_BIT / "parsers.conf"):
        if kind == "PARSER" and keys.get("name") == name:
            return keys
    raise KeyError(name)


def cri_regex() -> str:
    """The ``cri`` parser's regex in Python's syntax (named groups ``(?P<name>…)``)."""
    return parser("cri")["regex"].replace("(?<", "(?P<")


def apply_json_parser(line: str, settings: dict[str, str]) -> dict[str, Any]:
    """The record Fluent Bit would make of ``line``; ValueError or TypeError when it would not parse it."""
    record = json.loads(line)
    if not isinstance(record, dict):
        raise TypeError(f"not a JSON object: {line[:80]}")
    stamp = record[settings["time_key"]]
    # strptime has no %L: Fluent Bit's fraction of a second is Python's %f (up to 9 digits there).
    python_format = settings["time_format"].replace("%L", "%f")
    datetime.strptime(re.sub(r"(\.\d{6})\d+", r"\1", stamp), python_format)  # noqa: DTZ007 - the Z is literal
    return record
