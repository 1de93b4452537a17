"""Parsing and filling ``{{variable}}`` placeholders; every mistake is named in the error."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from subgraphs.content.items.errors import InvalidContentInputError

if TYPE_CHECKING:
    from collections.abc import Mapping

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
MAX_VARIABLES = 30
MAX_VALUE_LENGTH = 5_000


def variables_of(body: str) -> list[str]:
    """The variable names of ``body`` in order of first use; malformed placeholders are refused."""
    names: list[str] = []
    for match in PLACEHOLDER.finditer(body):
        name = match.group(1)
        if not NAME.match(name):
            msg = f"template placeholder {{{{{name}}}}} is not a variable name (lower case, digits, _; 1 to 40)."
            raise InvalidContentInputError(msg)
        if name not in names:
            names.append(name)
    leftover = PLACEHOLDER.sub("", body)
    if "{{" in leftover or "}}" in leftover:
        msg = "template has an unclosed or stray '{{' / '}}'."
        raise InvalidContentInputError(msg)
    if len(names) > MAX_VARIABLES:
        msg = f"a template has at most {MAX_VARIABLES} variables; got {len(names)}."
        raise InvalidContentInputError(msg)
    return names


def fill(body: str, values: Mapping[str, str], *, declared: list[str]) -> str:
    """``body`` with every placeholder replaced; missing and unknown variables are both errors."""
    missing = [name for name in declared if name not in values]
    unknown = sorted(set(values) - set(declared))
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown {', '.join(unknown)}")
        msg = f"template variables do not match: {'; '.join(parts)}."
        raise InvalidContentInputError(msg)
    for name, value in values.items():
        if len(value) > MAX_VALUE_LENGTH:
            msg = f"variable {name} is longer than {MAX_VALUE_LENGTH} characters."
            raise InvalidContentInputError(msg)
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], body)
